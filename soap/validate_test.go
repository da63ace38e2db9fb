package soap

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func validSave() Request {
	return Request{
		Operation: SaveForAssociate, Ticket: "7T:abc", AssociateID: 7, Type: "imap",
		Credentials: UntrustedCredentials{
			ValidFrom: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
			ValidTo:   time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
		},
	}
}

func TestValidate(t *testing.T) {
	type problem struct {
		field string
		err   error
	}
	tests := []struct {
		name   string
		change func(*Request)
		want   []problem // empty: valid
	}{
		{"a complete save is valid", func(*Request) {}, nil},
		{"AssociateId 0 is valid", func(r *Request) { r.AssociateID = 0 }, nil},
		{"AssociateId max int32 is valid", func(r *Request) { r.AssociateID = math.MaxInt32 }, nil},
		{"AssociateId negative", func(r *Request) { r.AssociateID = -1 }, []problem{{"AssociateId", ErrOutOfRange}}},
		{"AssociateId beyond int32", func(r *Request) { r.AssociateID = math.MaxInt32 + 1 }, []problem{{"AssociateId", ErrOutOfRange}}},
		{"Type missing", func(r *Request) { r.Type = "" }, []problem{{"Type", ErrRequired}}},
		{"Type blank", func(r *Request) { r.Type = "  \t" }, []problem{{"Type", ErrRequired}}},
		{"Ticket missing", func(r *Request) { r.Ticket = "" }, []problem{{"Ticket", ErrRequired}}},
		{"ValidFrom missing", func(r *Request) { r.Credentials.ValidFrom = time.Time{} }, []problem{{"ValidFrom", ErrRequired}}},
		{"ValidTo before ValidFrom", func(r *Request) {
			r.Credentials.ValidTo = r.Credentials.ValidFrom.Add(-time.Second)
		}, []problem{{"ValidTo", ErrDateOrder}}},
		{"ValidTo equal to ValidFrom is valid", func(r *Request) { r.Credentials.ValidTo = r.Credentials.ValidFrom }, nil},
		{"ValidTo compared in UTC", func(r *Request) {
			// 01:00+02:00 is 23:00Z the day before: before ValidFrom.
			r.Credentials.ValidTo = time.Date(2024, 1, 1, 1, 0, 0, 0, time.FixedZone("", 2*3600))
		}, []problem{{"ValidTo", ErrDateOrder}}},
		{"ValidTo after year 9999", func(r *Request) {
			r.Credentials.ValidTo = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
		}, []problem{{"ValidTo", ErrOutOfRange}}},
		{"Comment at 255 is valid", func(r *Request) { r.Credentials.Comment = strings.Repeat("é", 255) }, nil},
		{"Comment at 256", func(r *Request) { r.Credentials.Comment = strings.Repeat("a", 256) }, []problem{{"Comment", ErrTooLong}}},
		{"SecretValue at 70 is valid", func(r *Request) { r.Credentials.SecretValue = strings.Repeat("x", 70) }, nil},
		{"SecretValue at 71", func(r *Request) { r.Credentials.SecretValue = strings.Repeat("x", 71) }, []problem{{"SecretValue", ErrTooLong}}},
		{"SecretValue of 36 astral characters counts 72", func(r *Request) { r.Credentials.SecretValue = strings.Repeat("😀", 36) }, []problem{{"SecretValue", ErrTooLong}}},
		{"PublicValue at 238 is valid", func(r *Request) { r.Credentials.PublicValue = strings.Repeat("p", 238) }, nil},
		{"PublicValue at 239", func(r *Request) { r.Credentials.PublicValue = strings.Repeat("p", 239) }, []problem{{"PublicValue", ErrTooLong}}},
		{"a NUL in SecretValue", func(r *Request) { r.Credentials.SecretValue = "a\x00b" }, []problem{{"SecretValue", ErrInvalidText}}},
		{"a form feed in Comment", func(r *Request) { r.Credentials.Comment = "a\fb" }, []problem{{"Comment", ErrInvalidText}}},
		{"U+FFFE in Type", func(r *Request) { r.Type = "imap\uFFFE" }, []problem{{"Type", ErrInvalidText}}},
		{"invalid UTF-8 in PublicValue", func(r *Request) { r.Credentials.PublicValue = "a\xffb" }, []problem{{"PublicValue", ErrInvalidText}}},
		{"invalid UTF-8 in Ticket", func(r *Request) { r.Ticket = "7T:\xc3" }, []problem{{"Ticket", ErrInvalidText}}},
		{"a control character in ApplicationToken", func(r *Request) { r.ApplicationToken = "\x1b[31m" }, []problem{{"ApplicationToken", ErrInvalidText}}},
		{"tab, CR and LF are text", func(r *Request) { r.Credentials.Comment = "a\tb\r\nc" }, nil},
		{"markup and ]]> are text", func(r *Request) { r.Credentials.Comment = `<b>&amp;"'</b> ]]>` }, nil},
		{"several problems are all reported, in form order", func(r *Request) {
			r.AssociateID = -5
			r.Type = ""
			r.Credentials.SecretValue = strings.Repeat("x", 80)
		}, []problem{{"AssociateId", ErrOutOfRange}, {"Type", ErrRequired}, {"SecretValue", ErrTooLong}}},
		{"an unknown operation", func(r *Request) { r.Operation = "DeleteEverything" }, []problem{{"Operation", ErrUnknownOp}}},
		{"an unknown SOAP version", func(r *Request) { r.Version = 7 }, []problem{{"soapVersion", ErrUnsupportedV}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := validSave()
			tc.change(&r)
			err := r.Validate()
			env, buildErr := Build(r)
			if len(tc.want) == 0 {
				require.NoError(t, err)
				require.NoError(t, buildErr)
				require.NotNil(t, env)
				return
			}
			require.Error(t, err)
			assert.Nil(t, env, "Build must not return an envelope for an invalid request")
			assert.Equal(t, err, buildErr)
			var all ValidationErrors
			require.True(t, errors.As(err, &all))
			require.Len(t, all, len(tc.want), "%v", err)
			for i, p := range tc.want {
				assert.Equal(t, p.field, all[i].Field)
				assert.ErrorIs(t, all[i], p.err)
				assert.Contains(t, all[i].Error(), p.field, "the message must name the field")
				assert.NotEmpty(t, all[i].Code, "%s: every problem has a code for the catalogue", p.field)
			}
			var first *ValidationError
			require.True(t, errors.As(err, &first))
			assert.Equal(t, tc.want[0].field, first.Field)
		})
	}
}

// TestValidationCodes checks the codes and parameters a catalogue words
// problems from: the values in the English reason are in Params too.
func TestValidationCodes(t *testing.T) {
	r := validSave()
	r.Credentials.SecretValue = strings.Repeat("x", 75)
	r.Credentials.ValidTo = r.Credentials.ValidFrom.Add(-time.Hour)
	r.Credentials.Comment = "a\x01"
	r.AssociateID = -1
	var all ValidationErrors
	require.ErrorAs(t, r.Validate(), &all)
	got := map[string]*ValidationError{}
	for _, e := range all {
		got[e.Field] = e
	}
	require.Contains(t, got, "SecretValue")
	assert.Equal(t, CodeTooLong, got["SecretValue"].Code)
	assert.Equal(t, map[string]string{"max": "70", "length": "75"}, got["SecretValue"].Params)
	require.Contains(t, got, "ValidTo")
	assert.Equal(t, CodeDateOrder, got["ValidTo"].Code)
	assert.Equal(t, map[string]string{"other": "ValidFrom"}, got["ValidTo"].Params)
	require.Contains(t, got, "Comment")
	assert.Equal(t, CodeControlChar, got["Comment"].Code)
	assert.Equal(t, map[string]string{"char": "U+0001"}, got["Comment"].Params)
	require.Contains(t, got, "AssociateId")
	assert.Equal(t, CodeOutOfRange, got["AssociateId"].Code)
	assert.Equal(t, "2147483647", got["AssociateId"].Params["max"])
}

func TestValidatePerOperation(t *testing.T) {
	t.Run("Get needs Type but no dates", func(t *testing.T) {
		r := Request{Operation: GetForAssociate, Ticket: "7T:a", AssociateID: 1}
		var all ValidationErrors
		require.ErrorAs(t, r.Validate(), &all)
		require.Len(t, all, 1)
		assert.Equal(t, "Type", all[0].Field)
	})
	t.Run("Remove may remove the record with an empty PublicValue", func(t *testing.T) {
		r := Request{Operation: RemoveForAssociate, Ticket: "7T:a", AssociateID: 1, Type: "imap"}
		assert.NoError(t, r.Validate())
	})
	t.Run("Remove checks PublicValue's length", func(t *testing.T) {
		r := Request{Operation: RemoveForAssociate, Ticket: "7T:a", AssociateID: 1, Type: "imap", PublicValue: strings.Repeat("p", 239)}
		assert.ErrorIs(t, r.Validate(), ErrTooLong)
	})
	t.Run("CreateDefault needs only a ticket", func(t *testing.T) {
		assert.NoError(t, (&Request{Operation: CreateDefault, Ticket: "7T:a"}).Validate())
	})
	t.Run("current-user Save takes no AssociateId", func(t *testing.T) {
		r := validSave()
		r.Operation, r.AssociateID = Save, -1
		assert.NoError(t, r.Validate())
	})
	t.Run("login needs a user name, not a ticket", func(t *testing.T) {
		r := Request{Operation: AuthenticateUsernamePassword, Password: "x"}
		var all ValidationErrors
		require.ErrorAs(t, r.Validate(), &all)
		require.Len(t, all, 1)
		assert.Equal(t, "UserName", all[0].Field)
	})
	t.Run("GetUser takes an associate id from 0 to max int32, and a ticket", func(t *testing.T) {
		for _, id := range []int64{0, 1, math.MaxInt32} {
			assert.NoError(t, (&Request{Operation: GetUser, Ticket: "7T:a", AssociateID: id}).Validate(), "UserId %d", id)
		}
		for _, id := range []int64{-1, math.MaxInt32 + 1} {
			var all ValidationErrors
			require.ErrorAs(t, (&Request{Operation: GetUser, Ticket: "7T:a", AssociateID: id}).Validate(), &all, "UserId %d", id)
			require.Len(t, all, 1)
			assert.Equal(t, "UserId", all[0].Field)
			assert.ErrorIs(t, all[0], ErrOutOfRange)
			assert.Equal(t, CodeOutOfRange, all[0].Code)
			assert.Equal(t, map[string]string{"min": "0", "max": "2147483647"}, all[0].Params)
		}
		var all ValidationErrors
		require.ErrorAs(t, (&Request{Operation: GetUser, AssociateID: 1}).Validate(), &all)
		require.Len(t, all, 1)
		assert.Equal(t, "Ticket", all[0].Field)
	})
	t.Run("GetUserFromName needs a user name XML can carry", func(t *testing.T) {
		assert.NoError(t, (&Request{Operation: GetUserFromName, Ticket: "7T:a", UserName: "bjørn.ås"}).Validate())
		for _, tc := range []struct {
			name, userName string
			err            error
			code           string
		}{
			{"missing", "", ErrRequired, CodeRequired},
			{"blank", " \t", ErrRequired, CodeRequired},
			{"a control character", "bj\x07rn", ErrInvalidText, CodeControlChar},
			{"invalid UTF-8", "bj\xf8rn", ErrInvalidText, CodeInvalidUTF8},
		} {
			var all ValidationErrors
			require.ErrorAs(t, (&Request{Operation: GetUserFromName, Ticket: "7T:a", UserName: tc.userName}).Validate(), &all, tc.name)
			require.Len(t, all, 1, tc.name)
			assert.Equal(t, "UserName", all[0].Field, tc.name)
			assert.ErrorIs(t, all[0], tc.err, tc.name)
			assert.Equal(t, tc.code, all[0].Code, tc.name)
		}
	})
	t.Run("an empty password is allowed", func(t *testing.T) {
		assert.NoError(t, (&Request{Operation: AuthenticateUsernamePassword, UserName: "u"}).Validate())
	})
}

func TestLen(t *testing.T) {
	assert.Equal(t, 0, Len(""))
	assert.Equal(t, 3, Len("abc"))
	assert.Equal(t, 1, Len("é"))
	assert.Equal(t, 2, Len("😀"))
	assert.Equal(t, 3, Len("日本語"))
}

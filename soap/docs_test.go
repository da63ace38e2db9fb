package soap

import (
	"socred/internal/xmltree"

	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socred/internal/testenv"
)

// TestDocumentationExample builds the body of the vendor's documentation
// example from its values and compares it with the example after
// canonicalisation: same elements, order, values and xsi:type annotations.
// The example's Type is empty, which Build's validation refuses (Type is
// required), so this compares the marshaller's output directly and checks
// the refusal separately.
func TestDocumentationExample(t *testing.T) {
	doc, err := os.ReadFile(testenv.ReferenceFile(t, "Services88-User.SaveUntrustedCredentialsForAssociate.docs-request.xml"))
	require.NoError(t, err)
	ts := time.Date(2023, 11, 10, 12, 37, 58, 0, time.UTC)
	req := Request{
		Operation: SaveForAssociate, ApplicationToken: "1234567-1234-9876", Ticket: "7T:1234abcxyzExample==",
		AssociateID: 0, Type: "", Credentials: UntrustedCredentials{ValidFrom: ts, ValidTo: ts},
		Version: SOAP12, XSIType: true,
	}
	ours := marshal(&req)

	docRoot, err := xmltree.Parse(doc)
	require.NoError(t, err)
	ourRoot, err := xmltree.Parse(ours.XML)
	require.NoError(t, err)
	docBody := docRoot.Child(NSEnvelope12, "Body")
	ourBody := ourRoot.Child(NSEnvelope12, "Body")
	require.NotNil(t, docBody)
	require.NotNil(t, ourBody)
	assert.Equal(t, canonical(docBody), canonical(ourBody))

	t.Run("the canonical comparison sees a changed value", func(t *testing.T) {
		changed := req
		changed.Credentials.IsActive = true
		root, err := xmltree.Parse(marshal(&changed).XML)
		require.NoError(t, err)
		assert.NotEqual(t, canonical(docBody), canonical(root.Child(NSEnvelope12, "Body")))
	})
	t.Run("the canonical comparison sees a changed order", func(t *testing.T) {
		comment := `<User:Comment xsi:type="xsd:string"></User:Comment>`
		secret := `<User:SecretValue xsi:type="xsd:string"></User:SecretValue>`
		require.Contains(t, string(doc), comment+"\n     "+secret)
		swapped := strings.Replace(string(doc), comment+"\n     "+secret, secret+comment, 1)
		root, err := xmltree.Parse([]byte(swapped))
		require.NoError(t, err)
		assert.NotEqual(t, canonical(ourBody), canonical(root.Child(NSEnvelope12, "Body")))
	})
	t.Run("Build refuses the example's empty Type", func(t *testing.T) {
		_, err := Build(req)
		assert.ErrorIs(t, err, ErrRequired)
	})
	t.Run("where socred differs on purpose: the headers", func(t *testing.T) {
		// The example puts ApplicationToken and Credentials directly under
		// Envelope; the WSDL binding (and socred) put them in Header.
		assert.NotNil(t, docRoot.Child(NS, "ApplicationToken"))
		assert.Nil(t, docRoot.Child(NSEnvelope12, "Header"))
		assert.NotNil(t, ourRoot.Child(NSEnvelope12, "Header").Child(NS, "ApplicationToken"))
	})
}

// canonical renders n as a prefix-free string: each element's namespace and
// name, its attributes sorted (QName values of xsi:type resolved), its text
// with surrounding white space trimmed, then its children in order.
func canonical(n *xmltree.Node) string {
	var b strings.Builder
	var walk func(*xmltree.Node, int)
	walk = func(m *xmltree.Node, depth int) {
		fmt.Fprintf(&b, "%s{%s}%s", strings.Repeat(" ", depth), m.Name.Space, m.Name.Local)
		var attrs []string
		for _, a := range m.Attr {
			v := a.Value
			if a.Name.Space == NSInstance && a.Name.Local == "type" {
				q := m.QName(v)
				v = "{" + q.Space + "}" + q.Local
			}
			attrs = append(attrs, fmt.Sprintf("{%s}%s=%q", a.Name.Space, a.Name.Local, v))
		}
		sort.Strings(attrs)
		fmt.Fprintf(&b, " %v %q\n", attrs, strings.TrimSpace(m.Text))
		for _, c := range m.Children {
			walk(c, depth+1)
		}
	}
	walk(n, 0)
	return b.String()
}

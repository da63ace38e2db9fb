//go:build !(js && wasm) || socred_batch

package jsapi

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socred/batch"
	"socred/soap"
)

// TestSessions keeps sessions under new ids, finds them, and forgets them
// and their secrets on Close; a closed or unknown id rejects.
func TestSessions(t *testing.T) {
	var s Sessions
	entry := &batch.Entry{Row: 2, Credentials: soap.UntrustedCredentials{SecretValue: "s3cret"}}
	first := &Session{Checked: &batch.Checked{Entries: []*batch.Entry{entry}}}
	assert.Equal(t, "batch-1", s.Add(first))
	assert.Equal(t, "batch-1", first.ID)
	assert.Equal(t, "batch-2", s.Add(&Session{}))

	got, err := s.Get("batch-1")
	require.NoError(t, err)
	assert.Same(t, first, got)

	assert.True(t, s.Close("batch-1"))
	assert.Empty(t, entry.Credentials.SecretValue, "Close forgets the file's secrets")
	assert.False(t, s.Close("batch-1"), "closed already")
	_, err = s.Get("batch-1")
	var ae *ArgumentError
	require.ErrorAs(t, err, &ae)
	assert.Contains(t, ae.Reason, `"batch-1"`)

	t.Run("at once", func(t *testing.T) {
		var wg sync.WaitGroup
		ids := make([]string, 50)
		for i := range ids {
			wg.Go(func() { ids[i] = s.Add(&Session{}) })
		}
		wg.Wait()
		seen := map[string]bool{}
		for _, id := range ids {
			assert.False(t, seen[id], "id %s given twice", id)
			seen[id] = true
			assert.True(t, s.Close(id))
		}
	})
}

// TestSessionSteps pages a plan's steps, picked by action, within bounds.
func TestSessionSteps(t *testing.T) {
	sess := &Session{}
	assert.Equal(t, map[string]any{"total": 0, "steps": []any{}}, sess.Steps(Page{Limit: DefaultPageLimit}), "not planned")
	plan := &batch.Plan{}
	for _, a := range []batch.Action{batch.ActionCreate, batch.ActionUpdate, batch.ActionCreate, batch.ActionUnchanged, batch.ActionCreate} {
		plan.Steps = append(plan.Steps, &batch.Step{Action: a, UserName: string(a)})
	}
	sess.Plan = plan
	actions := func(out map[string]any) []string {
		var list []string
		for _, s := range out["steps"].([]any) {
			list = append(list, s.(map[string]any)["action"].(string))
		}
		return list
	}
	all := sess.Steps(Page{Limit: DefaultPageLimit})
	assert.Equal(t, 5, all["total"])
	assert.Equal(t, []string{"create", "update", "create", "unchanged", "create"}, actions(all))

	creates := sess.Steps(Page{Offset: 1, Limit: 1, Names: map[string]bool{"create": true}})
	assert.Equal(t, 3, creates["total"], "the total of what is picked")
	assert.Equal(t, []string{"create"}, actions(creates))

	assert.Len(t, sess.Steps(Page{Offset: -5, Limit: 0}), 2)
	assert.Equal(t, []string{"create"}, actions(sess.Steps(Page{Offset: -5, Limit: 0})), "offset at least 0, limit at least 1")
	assert.Empty(t, actions(sess.Steps(Page{Offset: 9, Limit: 9})), "past the end")
}

package sqlite

import "testing"

// TestKeepSlackBounded checks that keepSlack keeps a page only once:
// with nothing else allocating between calls, the free blocks it leaves
// serve the next call, so the pages kept stop growing.
func TestKeepSlackBounded(t *testing.T) {
	keepSlack()
	slack.Lock()
	n := len(slack.kept)
	slack.Unlock()
	if n == 0 {
		t.Fatal("keepSlack kept no page")
	}
	for range 1000 {
		keepSlack()
	}
	slack.Lock()
	defer slack.Unlock()
	if len(slack.kept) != n {
		t.Fatalf("1,000 more calls, with nothing else allocating, kept %d pages more", len(slack.kept)-n)
	}
}

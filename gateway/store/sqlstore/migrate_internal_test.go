package sqlstore

import (
	"slices"
	"testing"
)

func TestSplitStatements(t *testing.T) {
	body := `-- a comment; with a semicolon
CREATE TABLE a (x INT);
CREATE FUNCTION f() RETURNS INT LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1;
  RETURN 2;
END
$$;
SELECT 1`
	want := []string{
		"CREATE TABLE a (x INT)",
		"CREATE FUNCTION f() RETURNS INT LANGUAGE plpgsql AS $$\nBEGIN\n  PERFORM 1;\n  RETURN 2;\nEND\n$$",
		"SELECT 1",
	}
	if got := splitStatements(body); !slices.Equal(got, want) {
		t.Fatalf("splitStatements:\n%q\nwant\n%q", got, want)
	}
}

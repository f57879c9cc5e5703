package api

import "fmt"

// maxSplitDepth bounds the nesting splitArray follows inside an element
// (the schema parser, which reads each element next, has its own limit).
const maxSplitDepth = 512

// splitArray returns the elements of the JSON array b as sub-slices of b.
// It checks the array's own structure (brackets, strings, commas, nothing
// after the closing bracket) but not its elements' content: each element
// is parsed and validated on its own next, which reports malformed JSON
// inside it with its position. One pass over the bytes, where decoding
// into []json.RawMessage scanned every record twice with encoding/json's
// state machine (17 µs of a 2.4 KB record's 137).
func splitArray(b []byte) ([][]byte, error) {
	i := skipSpace(b, 0)
	if i == len(b) || b[i] != '[' {
		return nil, splitErr(b, i, "expected '[' to open the array")
	}
	i = skipSpace(b, i+1)
	var out [][]byte
	if i < len(b) && b[i] == ']' {
		i++
	} else {
		for {
			start := i
			end, err := skipValue(b, i)
			if err != nil {
				return nil, err
			}
			out = append(out, b[start:end:end])
			i = skipSpace(b, end)
			if i == len(b) {
				return nil, splitErr(b, i, "the array is not closed")
			}
			if b[i] == ']' {
				i++
				break
			}
			if b[i] != ',' {
				return nil, splitErr(b, i, "expected ',' or ']' after element %d", len(out)-1)
			}
			i = skipSpace(b, i+1)
		}
	}
	if j := skipSpace(b, i); j < len(b) {
		return nil, splitErr(b, j, "unexpected data after the array")
	}
	return out, nil
}

func splitErr(b []byte, at int, format string, args ...any) error {
	if at >= len(b) {
		return fmt.Errorf("at the end of the body (byte %d): %s", len(b), fmt.Sprintf(format, args...))
	}
	return fmt.Errorf("at byte %d (%q): %s", at, b[at], fmt.Sprintf(format, args...))
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipValue returns the end of the value starting at b[i].
func skipValue(b []byte, i int) (int, error) {
	if i == len(b) {
		return 0, splitErr(b, i, "expected a value")
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		var stack []byte // the closing bracket each open one needs
		for i < len(b) {
			switch c := b[i]; c {
			case '"':
				end, err := skipString(b, i)
				if err != nil {
					return 0, err
				}
				i = end
				continue
			case '{', '[':
				if len(stack) == maxSplitDepth {
					return 0, splitErr(b, i, "nested more than %d deep", maxSplitDepth)
				}
				stack = append(stack, c+2) // '{'+2 == '}', '['+2 == ']'
			case '}', ']':
				if stack[len(stack)-1] != c {
					return 0, splitErr(b, i, "expected %q", stack[len(stack)-1])
				}
				stack = stack[:len(stack)-1]
				if len(stack) == 0 {
					return i + 1, nil
				}
			}
			i++
		}
		return 0, splitErr(b, i, "an element is not closed")
	case ',', ']', '}', ':':
		return 0, splitErr(b, i, "expected a value")
	default: // a number, true, false or null (checked by the element's parser)
		j := i
		for j < len(b) && !isDelim(b[j]) {
			j++
		}
		return j, nil
	}
}

// skipString returns the end of the string starting at b[i] == '"'.
func skipString(b []byte, i int) (int, error) {
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++ // the escaped byte cannot end the string
		case '"':
			return j + 1, nil
		}
	}
	return 0, splitErr(b, i, "a string is not closed")
}

func isDelim(c byte) bool {
	switch c {
	case ',', ']', '}', '{', '[', '"', ':', ' ', '\t', '\n', '\r':
		return true
	}
	return false
}

package core

import (
	"strings"
)

// SanitizeSQL replaces the literals of a SQL statement (strings, numbers,
// hex and dollar-quoted strings) with "?", so that db.query.text carries no
// values: placeholders ($1, ?, :name), identifiers (quoted or not, t1 and
// col2 included), keywords and comments are kept.
func SanitizeSQL(query string) string {
	var b strings.Builder
	b.Grow(len(query))
	for i := 0; i < len(query); {
		c := query[i]
		switch {
		case c == '\'':
			i = skipQuoted(query, i, '\'')
			b.WriteByte('?')
		case c == '"' || c == '`':
			end := skipQuoted(query, i, c) // an identifier: kept
			b.WriteString(query[i:end])
			i = end
		case c == '-' && strings.HasPrefix(query[i:], "--"):
			end := strings.IndexByte(query[i:], '\n')
			if end < 0 {
				end = len(query) - i
			}
			b.WriteString(query[i : i+end])
			i += end
		case c == '/' && strings.HasPrefix(query[i:], "/*"):
			end := strings.Index(query[i+2:], "*/")
			if end < 0 {
				end = len(query) - i - 4
			}
			b.WriteString(query[i : i+end+4])
			i += end + 4
		case c == '$' && i+1 < len(query) && (query[i+1] == '$' || isIdentStart(query[i+1])) && dollarTag(query[i:]) != "":
			tag := dollarTag(query[i:])
			end := strings.Index(query[i+len(tag):], tag)
			if end < 0 {
				i = len(query)
			} else {
				i += len(tag) + end + len(tag)
			}
			b.WriteByte('?')
		case c == '$' || c == ':' || c == '@':
			// A placeholder or parameter: the sigil and its name or number.
			j := i + 1
			for j < len(query) && isIdentPart(query[j]) {
				j++
			}
			b.WriteString(query[i:j])
			i = j
		case isDigit(c) || (c == '.' && i+1 < len(query) && isDigit(query[i+1])):
			i = skipNumber(query, i)
			b.WriteByte('?')
		case isIdentStart(c):
			j := i + 1
			for j < len(query) && isIdentPart(query[j]) {
				j++
			}
			b.WriteString(query[i:j])
			i = j
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}

// skipQuoted returns the index past the quoted text starting at i; a
// doubled quote (or a backslash) escapes the quote.
func skipQuoted(s string, i int, q byte) int {
	for j := i + 1; j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++
		case q:
			if j+1 < len(s) && s[j+1] == q {
				j++
				continue
			}
			return j + 1
		}
	}
	return len(s)
}

// dollarTag is the opening $tag$ of a PostgreSQL dollar-quoted string.
func dollarTag(s string) string {
	for j := 1; j < len(s); j++ {
		if s[j] == '$' {
			return s[:j+1]
		}
		if !isIdentPart(s[j]) {
			return ""
		}
	}
	return ""
}

func skipNumber(s string, i int) int {
	if strings.HasPrefix(s[i:], "0x") || strings.HasPrefix(s[i:], "0X") {
		i += 2
	}
	for i < len(s) && (isIdentPart(s[i]) || s[i] == '.' ||
		((s[i] == '+' || s[i] == '-') && (s[i-1] == 'e' || s[i-1] == 'E'))) {
		i++
	}
	return i
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
func isIdentStart(c byte) bool {
	return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c >= 0x80
}
func isIdentPart(c byte) bool { return isIdentStart(c) || isDigit(c) }

// SQLSummary is a statement's operation (its first keyword, upper case) and,
// when it names exactly one, the table it works on ("" otherwise).
func SQLSummary(query string) (operation, table string) {
	words := sqlWords(query, 64)
	if len(words) == 0 {
		return "", ""
	}
	operation = strings.ToUpper(words[0])
	after := map[string]string{"SELECT": "FROM", "DELETE": "FROM", "INSERT": "INTO", "REPLACE": "INTO", "UPDATE": "", "MERGE": "INTO"}
	keyword, ok := after[operation]
	if !ok {
		return operation, ""
	}
	for i, w := range words[1:] {
		if keyword == "" || strings.EqualFold(w, keyword) {
			rest := words[i+2:]
			if keyword == "" {
				rest = words[i+1:]
			}
			if len(rest) == 0 || rest[0] == "(" {
				return operation, ""
			}
			if len(rest) > 1 && rest[1] == "," {
				return operation, "" // more than one table
			}
			return operation, strings.Trim(rest[0], "\"`[]")
		}
	}
	return operation, ""
}

// sqlWords splits the start of a statement into at most n words and
// punctuation marks, skipping comments; quoted identifiers stay one word.
func sqlWords(q string, n int) []string {
	var words []string
	for i := 0; i < len(q) && len(words) < n; {
		c := q[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case strings.HasPrefix(q[i:], "--"):
			end := strings.IndexByte(q[i:], '\n')
			if end < 0 {
				return words
			}
			i += end
		case strings.HasPrefix(q[i:], "/*"):
			end := strings.Index(q[i+2:], "*/")
			if end < 0 {
				return words
			}
			i += end + 4
		case c == '"' || c == '`':
			end := skipQuoted(q, i, c)
			words = append(words, q[i:end])
			i = end
		case isIdentPart(c) || c == '.':
			j := i
			for j < len(q) && (isIdentPart(q[j]) || q[j] == '.' || q[j] == '"' || q[j] == '`') {
				j++
			}
			words = append(words, q[i:j])
			i = j
		default:
			words = append(words, q[i:i+1])
			i++
		}
	}
	return words
}

package schemas

import (
	"bytes"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// appendUnquoted appends to dst the text of a JSON string whose content
// (between the quotes) is raw, decoded as encoding/json decodes it into a
// Go string: \uXXXX escapes give their rune, a valid pair of UTF-16
// surrogates gives one rune, and a surrogate that is not part of a valid
// pair gives U+FFFD (the escape after an unpaired high surrogate is then
// read on its own).
//
// raw must be the content of a string that fastjson.Validate accepted
// (every escape complete, no control character) in a valid UTF-8 payload;
// bytes other than escapes are copied as they are.
func appendUnquoted(dst, raw []byte) []byte {
	for len(raw) > 0 {
		i := bytes.IndexByte(raw, '\\')
		if i < 0 {
			return append(dst, raw...)
		}
		dst = append(dst, raw[:i]...)
		raw = raw[i:]

		switch c := raw[1]; c {
		case 'u':
			r := hex4(raw[2:6])
			raw = raw[6:]
			if utf16.IsSurrogate(r) {
				r2 := rune(-1)
				if len(raw) >= 6 && raw[0] == '\\' && raw[1] == 'u' {
					r2 = hex4(raw[2:6])
				}
				if pair := utf16.DecodeRune(r, r2); pair != unicode.ReplacementChar {
					r = pair
					raw = raw[6:]
				} else {
					r = unicode.ReplacementChar
				}
			}
			dst = utf8.AppendRune(dst, r)
			continue
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		default: // '"', '\\' and '/' stand for themselves
			dst = append(dst, c)
		}
		raw = raw[2:]
	}
	return dst
}

// hex4 reads four hexadecimal digits, already validated.
func hex4(b []byte) rune {
	var r rune
	for _, c := range b[:4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		default:
			c = c - 'A' + 10
		}
		r = r<<4 | rune(c)
	}
	return r
}

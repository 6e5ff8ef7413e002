// Package docnode is a positioned document tree shared by onestop's strict
// decoders. JSON (parsed here, from a byte slice or streamed one value at a
// time) and YAML (converted from go.yaml.in/yaml/v3 nodes) both become the
// same tree of Nodes, each remembering the line and column it came from,
// so a decoder can report "file:line:col: path: message" for anything a
// person wrote, whatever the format.
//
// A decoder that knows the shape it expects can skip the tree: Scanner
// reads JSON value by value with the same syntax checks, errors and
// positions (ParseJSON is built on it), and Stream.NextRaw hands a stream's
// values over unparsed, to be decoded on other goroutines.
//
// The tree keeps scalars as written: numbers keep their literal text, so a
// decoder decides whether "0.0256619" is an exact decimal or "12.0" is not
// a whole number of yen; no float conversion happens here. Duplicate keys
// are errors, nesting and sizes are bounded, and YAML aliases cannot expand
// without limit.
package docnode

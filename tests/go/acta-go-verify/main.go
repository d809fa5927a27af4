// Command acta-go-verify is an independent verifier of acta's checkpoints and Merkle proofs,
// built only on the Go standard library and Go's own golang.org/x/mod/sumdb/note and
// golang.org/x/mod/sumdb/tlog packages. acta's interoperability test (tests/it/go_interop.rs)
// runs it on artifacts made by the Rust library.
//
// Usage:
//
//	acta-go-verify checkpoint VKEY NOTEFILE
//	acta-go-verify inclusion VKEY NOTEFILE PROOF.json
//	acta-go-verify consistency VKEY OLDNOTE NEWNOTE PROOF.json
//
// VKEY is a verifier key (NAME+keyid+base64) or @FILE naming a file that holds one.
// An inclusion PROOF.json is
//
//	{"leaf_index": N, "tree_size": S, "leaf_hash": "<base64>", "hashes": ["<base64>", ...]}
//
// and a consistency PROOF.json is
//
//	{"old_size": M, "new_size": N, "hashes": ["<base64>", ...]}
//
// with standard padded base64 of 32-byte hashes. Exit status: 0 accepted (the checkpoint
// subcommand prints "origin size base64root"), 1 rejected (with a message on stderr), 2 usage.
//
// Build it in GOPATH mode against the Debian package golang-golang-x-mod-dev:
//
//	GOPATH=/usr/share/gocode GO111MODULE=off go build -o acta-go-verify ./tests/go/acta-go-verify
package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

const usage = `usage:
  acta-go-verify checkpoint VKEY NOTEFILE
  acta-go-verify inclusion VKEY NOTEFILE PROOF.json
  acta-go-verify consistency VKEY OLDNOTE NEWNOTE PROOF.json
VKEY is a verifier key NAME+keyid+base64, or @FILE.
exit status: 0 accepted, 1 rejected, 2 usage`

// checkpoint is the parsed body of a C2SP tlog-checkpoint note.
type checkpoint struct {
	origin string
	size   int64
	root   tlog.Hash
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, usage)
		return 2
	}
	want := map[string]int{"checkpoint": 2, "inclusion": 3, "consistency": 4}
	n, ok := want[args[0]]
	if !ok || len(args)-1 != n {
		fmt.Fprintln(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "checkpoint":
		var c checkpoint
		c, err = openCheckpoint(args[1], args[2])
		if err == nil {
			fmt.Fprintf(stdout, "%s %d %s\n", c.origin, c.size, c.root)
		}
	case "inclusion":
		err = checkInclusion(args[1], args[2], args[3])
	case "consistency":
		err = checkConsistency(args[1], args[2], args[3], args[4])
	}
	if err != nil {
		fmt.Fprintf(stderr, "acta-go-verify: rejected: %v\n", err)
		return 1
	}
	if args[0] != "checkpoint" {
		fmt.Fprintln(stdout, "ok")
	}
	return 0
}

// openCheckpoint verifies the signed note in file against vkey and parses its text.
func openCheckpoint(vkey, file string) (checkpoint, error) {
	if strings.HasPrefix(vkey, "@") {
		b, err := os.ReadFile(vkey[1:])
		if err != nil {
			return checkpoint{}, err
		}
		vkey = strings.TrimSpace(string(b))
	}
	v, err := note.NewVerifier(vkey)
	if err != nil {
		return checkpoint{}, fmt.Errorf("verifier key: %v", err)
	}
	msg, err := os.ReadFile(file)
	if err != nil {
		return checkpoint{}, err
	}
	n, err := note.Open(msg, note.VerifierList(v))
	if err != nil {
		return checkpoint{}, fmt.Errorf("%s: %v", file, err)
	}
	c, err := parseCheckpoint(n.Text)
	if err != nil {
		return checkpoint{}, fmt.Errorf("%s: %v", file, err)
	}
	return c, nil
}

// parseCheckpoint parses C2SP tlog-checkpoint text: origin, decimal size and base64 root hash
// lines, then optional non-empty extension lines.
func parseCheckpoint(text string) (checkpoint, error) {
	if !strings.HasSuffix(text, "\n") {
		return checkpoint{}, errors.New("checkpoint text does not end with a newline")
	}
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if len(lines) < 3 {
		return checkpoint{}, fmt.Errorf("checkpoint has %d lines, want at least 3", len(lines))
	}
	if lines[0] == "" {
		return checkpoint{}, errors.New("checkpoint origin is empty")
	}
	size, err := parseSize(lines[1])
	if err != nil {
		return checkpoint{}, fmt.Errorf("checkpoint size: %v", err)
	}
	root, err := parseHash(lines[2])
	if err != nil {
		return checkpoint{}, fmt.Errorf("checkpoint root hash: %v", err)
	}
	for i, ext := range lines[3:] {
		if ext == "" {
			return checkpoint{}, fmt.Errorf("checkpoint line %d is an empty extension line", 4+i)
		}
	}
	return checkpoint{origin: lines[0], size: size, root: root}, nil
}

// parseSize parses ASCII decimal with no sign and no leading zeros, at most 2^63-1.
func parseSize(s string) (int64, error) {
	if s == "" || strings.Trim(s, "0123456789") != "" || (len(s) > 1 && s[0] == '0') {
		return 0, fmt.Errorf("%q is not a canonical decimal number", s)
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%q: %v", s, err)
	}
	return n, nil
}

// parseHash decodes canonical standard padded base64 of exactly 32 bytes.
func parseHash(s string) (tlog.Hash, error) {
	var h tlog.Hash
	b, err := base64.StdEncoding.Strict().DecodeString(s)
	if err != nil || len(b) != tlog.HashSize || base64.StdEncoding.EncodeToString(b) != s {
		return h, fmt.Errorf("%q is not the base64 of a 32-byte hash", s)
	}
	copy(h[:], b)
	return h, nil
}

func parseHashes(list []string) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, 0, len(list))
	for i, s := range list {
		h, err := parseHash(s)
		if err != nil {
			return nil, fmt.Errorf("hashes[%d]: %v", i, err)
		}
		out = append(out, h)
	}
	return out, nil
}

// readJSON decodes exactly one JSON object with no unknown fields from file into v.
func readJSON(file string, v interface{}) error {
	b, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%s: %v", file, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("%s: unexpected data after the JSON object", file)
	}
	return nil
}

func checkSize(name string, p *uint64) (int64, error) {
	if p == nil {
		return 0, fmt.Errorf("%s is missing", name)
	}
	if *p > math.MaxInt64 {
		return 0, fmt.Errorf("%s %d is too large", name, *p)
	}
	return int64(*p), nil
}

type inclusionProof struct {
	LeafIndex *uint64   `json:"leaf_index"`
	TreeSize  *uint64   `json:"tree_size"`
	LeafHash  *string   `json:"leaf_hash"`
	Hashes    *[]string `json:"hashes"`
}

func checkInclusion(vkey, noteFile, proofFile string) error {
	c, err := openCheckpoint(vkey, noteFile)
	if err != nil {
		return err
	}
	var p inclusionProof
	if err := readJSON(proofFile, &p); err != nil {
		return err
	}
	index, err := checkSize("leaf_index", p.LeafIndex)
	if err != nil {
		return err
	}
	size, err := checkSize("tree_size", p.TreeSize)
	if err != nil {
		return err
	}
	if p.LeafHash == nil || p.Hashes == nil {
		return errors.New("leaf_hash or hashes is missing")
	}
	if size != c.size {
		return fmt.Errorf("proof tree_size %d does not match the checkpoint size %d", size, c.size)
	}
	leaf, err := parseHash(*p.LeafHash)
	if err != nil {
		return fmt.Errorf("leaf_hash: %v", err)
	}
	hashes, err := parseHashes(*p.Hashes)
	if err != nil {
		return err
	}
	if err := tlog.CheckRecord(tlog.RecordProof(hashes), size, c.root, index, leaf); err != nil {
		return fmt.Errorf("inclusion proof of leaf %d in tree size %d: %v", index, size, err)
	}
	return nil
}

type consistencyProof struct {
	OldSize *uint64   `json:"old_size"`
	NewSize *uint64   `json:"new_size"`
	Hashes  *[]string `json:"hashes"`
}

func checkConsistency(vkey, oldFile, newFile, proofFile string) error {
	old, err := openCheckpoint(vkey, oldFile)
	if err != nil {
		return err
	}
	cur, err := openCheckpoint(vkey, newFile)
	if err != nil {
		return err
	}
	var p consistencyProof
	if err := readJSON(proofFile, &p); err != nil {
		return err
	}
	m, err := checkSize("old_size", p.OldSize)
	if err != nil {
		return err
	}
	n, err := checkSize("new_size", p.NewSize)
	if err != nil {
		return err
	}
	if p.Hashes == nil {
		return errors.New("hashes is missing")
	}
	if m != old.size || n != cur.size {
		return fmt.Errorf("proof sizes %d -> %d do not match the checkpoint sizes %d -> %d", m, n, old.size, cur.size)
	}
	if m < 1 || m > n {
		return fmt.Errorf("tlog checks consistency only for 1 <= old_size <= new_size, not %d -> %d", m, n)
	}
	hashes, err := parseHashes(*p.Hashes)
	if err != nil {
		return err
	}
	if err := tlog.CheckTree(tlog.TreeProof(hashes), n, cur.root, m, old.root); err != nil {
		return fmt.Errorf("consistency proof %d -> %d: %v", m, n, err)
	}
	return nil
}

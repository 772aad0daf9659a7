// Command interop checks Huhang's ledger output with the Go reference implementation.
//
// It reads one JSON request on standard input and writes one JSON result on standard output:
// the signed note is opened with golang.org/x/mod/sumdb/note, the proofs are checked with
// golang.org/x/mod/sumdb/tlog (CheckRecord, CheckTree), and for each tree of leaves Go computes
// its own record hashes, tree hashes (StoredHashes, TreeHash) and proofs (ProveRecord, ProveTree)
// for the Python test to compare. It builds offline in GOPATH mode against Debian's
// golang-golang-x-mod-dev (GO111MODULE=off GOPATH=/usr/share/gocode).
package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

type request struct {
	Note        string             `json:"note"`
	VerifierKey string             `json:"vkey"`
	Inclusion   []inclusionProof   `json:"inclusion"`
	Consistency []consistencyProof `json:"consistency"`
	Trees       []tree             `json:"trees"`
}

type inclusionProof struct {
	Index    int64    `json:"index"`
	Size     int64    `json:"size"`
	LeafHash string   `json:"leaf_hash"`
	Proof    []string `json:"proof"`
	Root     string   `json:"root"`
}

type consistencyProof struct {
	OldSize int64    `json:"old_size"`
	NewSize int64    `json:"new_size"`
	OldRoot string   `json:"old_root"`
	NewRoot string   `json:"new_root"`
	Proof   []string `json:"proof"`
}

type tree struct {
	Leaves       []string   `json:"leaves"`
	RecordProofs [][2]int64 `json:"record_proofs"` // (index, size) pairs to prove
	TreeProofs   [][2]int64 `json:"tree_proofs"`   // (old size, new size) pairs to prove
}

type noteResult struct {
	OK         bool     `json:"ok"`
	Error      string   `json:"error"`
	Text       string   `json:"text"`
	Signers    []string `json:"signers"`
	Unverified int      `json:"unverified"`
	Origin     string   `json:"origin"`
	Size       int64    `json:"size"`
	Root       string   `json:"root"`
}

type check struct {
	OK    bool   `json:"ok"`
	Error string `json:"error"`
}

type treeResult struct {
	LeafHashes   []string   `json:"leaf_hashes"`
	Roots        []string   `json:"roots"` // roots[n-1] is the tree hash at size n
	RecordProofs [][]string `json:"record_proofs"`
	TreeProofs   [][]string `json:"tree_proofs"`
	Error        string     `json:"error"`
}

type result struct {
	Note        noteResult   `json:"note"`
	Inclusion   []check      `json:"inclusion"`
	Consistency []check      `json:"consistency"`
	Trees       []treeResult `json:"trees"`
}

func main() {
	var req request
	if err := json.NewDecoder(os.Stdin).Decode(&req); err != nil {
		fmt.Fprintln(os.Stderr, "interop: reading request:", err)
		os.Exit(2)
	}
	res := result{Note: openNote(req.Note, req.VerifierKey)}
	for _, p := range req.Inclusion {
		res.Inclusion = append(res.Inclusion, checkInclusion(p))
	}
	for _, p := range req.Consistency {
		res.Consistency = append(res.Consistency, checkConsistency(p))
	}
	for _, t := range req.Trees {
		res.Trees = append(res.Trees, buildTree(t))
	}
	if err := json.NewEncoder(os.Stdout).Encode(res); err != nil {
		fmt.Fprintln(os.Stderr, "interop: writing result:", err)
		os.Exit(2)
	}
}

func openNote(msg, vkey string) noteResult {
	if msg == "" {
		return noteResult{Error: "no note"}
	}
	verifier, err := note.NewVerifier(vkey)
	if err != nil {
		return noteResult{Error: "NewVerifier: " + err.Error()}
	}
	n, err := note.Open([]byte(msg), note.VerifierList(verifier))
	if err != nil {
		return noteResult{Error: "Open: " + err.Error()}
	}
	r := noteResult{OK: true, Text: n.Text, Unverified: len(n.UnverifiedSigs)}
	for _, s := range n.Sigs {
		r.Signers = append(r.Signers, fmt.Sprintf("%s+%08x", s.Name, s.Hash))
	}
	// A C2SP checkpoint body: origin, decimal size, base64 root hash, extension lines.
	lines := strings.Split(strings.TrimSuffix(n.Text, "\n"), "\n")
	if len(lines) < 3 {
		r.OK, r.Error = false, "checkpoint: fewer than 3 lines"
		return r
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil {
		r.OK, r.Error = false, "checkpoint size: "+err.Error()
		return r
	}
	root, err := tlog.ParseHash(lines[2])
	if err != nil {
		r.OK, r.Error = false, "checkpoint root: "+err.Error()
		return r
	}
	r.Origin, r.Size, r.Root = lines[0], size, root.String()
	return r
}

func hash(s string) (tlog.Hash, error) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return tlog.Hash{}, err
	}
	if len(b) != tlog.HashSize {
		return tlog.Hash{}, fmt.Errorf("hash has %d bytes, want %d", len(b), tlog.HashSize)
	}
	var h tlog.Hash
	copy(h[:], b)
	return h, nil
}

func hashes(list []string) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, 0, len(list))
	for _, s := range list {
		h, err := hash(s)
		if err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, nil
}

func firstError(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func toCheck(err error) check {
	if err != nil {
		return check{Error: err.Error()}
	}
	return check{OK: true}
}

func checkInclusion(p inclusionProof) check {
	leaf, err1 := hash(p.LeafHash)
	root, err2 := hash(p.Root)
	proof, err3 := hashes(p.Proof)
	if err := firstError(err1, err2, err3); err != nil {
		return toCheck(err)
	}
	return toCheck(tlog.CheckRecord(tlog.RecordProof(proof), p.Size, root, p.Index, leaf))
}

func checkConsistency(p consistencyProof) check {
	oldRoot, err1 := hash(p.OldRoot)
	newRoot, err2 := hash(p.NewRoot)
	proof, err3 := hashes(p.Proof)
	if err := firstError(err1, err2, err3); err != nil {
		return toCheck(err)
	}
	return toCheck(tlog.CheckTree(tlog.TreeProof(proof), p.NewSize, newRoot, p.OldSize, oldRoot))
}

func buildTree(t tree) treeResult {
	var res treeResult
	var stored []tlog.Hash
	reader := tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(indexes))
		for i, x := range indexes {
			if x < 0 || x >= int64(len(stored)) {
				return nil, fmt.Errorf("no stored hash %d", x)
			}
			out[i] = stored[x]
		}
		return out, nil
	})
	for n, leaf64 := range t.Leaves {
		data, err := base64.StdEncoding.DecodeString(leaf64)
		if err != nil {
			res.Error = err.Error()
			return res
		}
		res.LeafHashes = append(res.LeafHashes, tlog.RecordHash(data).String())
		more, err := tlog.StoredHashes(int64(n), data, reader)
		if err != nil {
			res.Error = err.Error()
			return res
		}
		stored = append(stored, more...)
		root, err := tlog.TreeHash(int64(n+1), reader)
		if err != nil {
			res.Error = err.Error()
			return res
		}
		res.Roots = append(res.Roots, root.String())
	}
	for _, p := range t.RecordProofs {
		proof, err := tlog.ProveRecord(p[1], p[0], reader)
		if err != nil {
			res.Error = err.Error()
			return res
		}
		res.RecordProofs = append(res.RecordProofs, encode(proof))
	}
	for _, p := range t.TreeProofs {
		proof, err := tlog.ProveTree(p[1], p[0], reader)
		if err != nil {
			res.Error = err.Error()
			return res
		}
		res.TreeProofs = append(res.TreeProofs, encode(proof))
	}
	return res
}

func encode(list []tlog.Hash) []string {
	out := make([]string, 0, len(list))
	for _, h := range list {
		out = append(out, h.String())
	}
	return out
}

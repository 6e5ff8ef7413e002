// Command synonyms compiles SudachiDict's synonym dictionary, as the npm
// registry serves it (package sudachi-synonyms-dictionary), into the compact
// table chatbot/data/synonyms.txt and writes its licence notice beside it.
//
//	go generate ./chatbot          # runs npm pack, then this command
//	go run ./internal/gen/synonyms -tarball sudachi-synonyms-dictionary-18.0.0.tgz -o chatbot/data
//
// The tarball's SHA-512 is checked against the pinned integrity value, so
// the committed table always comes from the same release. Only generation
// needs the network (npm); the tests and the library never do.
//
// What is kept: groups of general vocabulary. Dropped: entries marked
// 「常に展開に使用しない」 (expansion control 2), entries that are only
// proper names of companies, people, places, universities, shops,
// products, characters, sports, music, entertainment, fashion, cooking,
// plants and animals, beauty and tourism (none of which a municipal FAQ
// asks about and all of which would bloat the table), one-character
// words, and groups left with fewer than two distinct words. Words are
// stored normalised as the matcher sees them (chatbot.Normalize).
package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/onestop-jp/onestop/chatbot"
)

// The pinned release: npm's integrity value for the tarball.
const (
	pkg       = "sudachi-synonyms-dictionary"
	version   = "18.0.0"
	integrity = "sha512-dVjrhGBCaM5QHn7Ys+L+vPdZib9aWR8F0uvYG0Ww3kEZ5C1pH/OwjLp7rWcgWYPE8io+f4UhpTCjVaoGDlcoWw=="
)

// dropDomains are the 分野 (domain) labels whose entries are proper names or
// topics a municipal FAQ never asks about.
var dropDomains = []string{"企業名", "旧企業名", "人名", "地名", "大学名", "店名", "キャラ", "商品", "旧組織名",
	"スポーツ", "音楽", "娯楽", "ファッション", "料理", "動植物", "美容", "観光", "国名"}

type group struct {
	ID    string `json:"id"`
	Items []item `json:"items"`
}

type item struct {
	ExpandControl    int      `json:"expandControl"`
	VocabularyNumber *int     `json:"vocabularyNumber"`
	Domains          []string `json:"bunya"`
	Headword         string   `json:"midashi"`
}

func main() {
	tarball := flag.String("tarball", "", "the npm tarball (default: fetch it with npm pack into a temporary folder)")
	out := flag.String("o", "data", "folder to write synonyms.txt and NOTICE.sudachi-synonyms to")
	flag.Parse()
	if err := run(*tarball, *out); err != nil {
		fmt.Fprintln(os.Stderr, "synonyms:", err)
		os.Exit(1)
	}
}

func run(tarball, out string) error {
	if tarball == "" {
		dir, err := os.MkdirTemp("", "synonyms-*")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		cmd := exec.Command("npm", "pack", "--silent", "--pack-destination", dir, pkg+"@"+version)
		cmd.Stderr = os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("npm pack %s@%s: %w", pkg, version, err)
		}
		tarball = filepath.Join(dir, pkg+"-"+version+".tgz")
	}
	raw, err := os.ReadFile(tarball)
	if err != nil {
		return err
	}
	sum := sha512.Sum512(raw)
	if got := "sha512-" + base64.StdEncoding.EncodeToString(sum[:]); got != integrity {
		return fmt.Errorf("%s: integrity %s, want %s (a different release?)", tarball, got, integrity)
	}
	files, err := untar(raw, "package/sudachi-synonyms-dictionary.json", "package/LICENSE")
	if err != nil {
		return err
	}
	var groups []group
	if err := json.Unmarshal(files["package/sudachi-synonyms-dictionary.json"], &groups); err != nil {
		return fmt.Errorf("dictionary JSON: %w", err)
	}
	table, kept, words := compile(groups)
	if err := os.WriteFile(filepath.Join(out, "synonyms.txt"), table, 0o644); err != nil {
		return err
	}
	notice := noticeText(files["package/LICENSE"])
	if err := os.WriteFile(filepath.Join(out, "NOTICE.sudachi-synonyms"), notice, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "synonyms: %d of %d groups, %d words, %d bytes\n", kept, len(groups), words, len(table))
	return nil
}

func untar(raw []byte, names ...string) (map[string][]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	tr := tar.NewReader(zr)
	out := map[string][]byte{}
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if slices.Contains(names, h.Name) {
			b, err := io.ReadAll(io.LimitReader(tr, 64<<20))
			if err != nil {
				return nil, err
			}
			out[h.Name] = b
		}
	}
	for _, n := range names {
		if _, ok := out[n]; !ok {
			return nil, fmt.Errorf("tarball has no %s", n)
		}
	}
	return out, nil
}

// compile renders the kept groups, one per line. A line is the group's
// words separated by tabs; each word is "N:word", N its vocabulary number
// within the group (words with one number are one word spelt differently),
// or "N!word" for a word that may be rewritten to but never rewrites
// (expansion control 1).
func compile(groups []group) (table []byte, kept, words int) {
	var b bytes.Buffer
	b.WriteString("# SudachiDict synonyms (Works Applications Co., Ltd., Apache License 2.0), from the npm package\n")
	fmt.Fprintf(&b, "# %s %s, filtered and normalised by internal/gen/synonyms; see NOTICE.sudachi-synonyms.\n", pkg, version)
	b.WriteString("# One group per line; words separated by tabs: N:word (vocabulary number N), N!word (never rewrites).\n")
	for _, g := range groups {
		type w struct {
			n       int
			trigger bool
			text    string
		}
		var ws []w
	items:
		for _, it := range g.Items {
			if it.ExpandControl == 2 || allDropped(it.Domains) {
				continue
			}
			t := chatbot.Normalize(it.Headword)
			if utf8.RuneCountInString(t) < 2 || strings.ContainsAny(t, "\t\n:!") {
				continue
			}
			n := 0
			if it.VocabularyNumber != nil {
				n = *it.VocabularyNumber
			}
			for i := range ws {
				if ws[i].text == t {
					ws[i].trigger = ws[i].trigger || it.ExpandControl == 0
					continue items
				}
			}
			ws = append(ws, w{n: n, trigger: it.ExpandControl == 0, text: t})
		}
		if len(ws) < 2 {
			continue
		}
		for i, x := range ws {
			if i > 0 {
				b.WriteByte('\t')
			}
			sep := ":"
			if !x.trigger {
				sep = "!"
			}
			fmt.Fprintf(&b, "%d%s%s", x.n, sep, x.text)
		}
		b.WriteByte('\n')
		kept++
		words += len(ws)
	}
	return b.Bytes(), kept, words
}

func allDropped(domains []string) bool {
	if len(domains) == 0 {
		return false
	}
	for _, d := range domains {
		if !slices.Contains(dropDomains, d) {
			return false
		}
	}
	return true
}

func noticeText(license []byte) []byte {
	var b bytes.Buffer
	b.WriteString(`chatbot/data/synonyms.txt is derived from the synonym dictionary of SudachiDict
(src/main/text/synonyms.txt, https://github.com/WorksApplications/SudachiDict),
Copyright (c) Works Applications Co., Ltd., licensed under the Apache License,
Version 2.0. SudachiDict's LEGAL file states that all files in its
distribution are covered by the Apache License 2.0.

It was taken from the npm package ` + pkg + ` ` + version + `
(https://github.com/azu/sudachi-synonyms-dictionary, Copyright 2019 azu,
Apache License 2.0), which converts that file to JSON.

Changes made by onestop (internal/gen/synonyms): entries marked never to be
expanded and entries that are only proper names or leisure topics were
removed, one-character words were removed, words were normalised (NFKC, lower
case, katakana to hiragana, long-vowel marks removed), and the table was
rewritten one group per line.

The Apache License, Version 2.0, as shipped in the npm package, follows.

`)
	b.Write(license)
	return b.Bytes()
}

package main

import "github.com/onestop-jp/onestop/packs"

// defaultPackID is the pack screen uses without --pack.
const defaultPackID = "jp-national"

// embeddedPacks are the packs built into the binary.
func embeddedPacks() []embeddedPack {
	return []embeddedPack{
		{id: "jp-national", name: "packs/national", fsys: packs.National},
		{id: "jp-tokyo", name: "packs/tokyo", fsys: packs.Tokyo},
	}
}

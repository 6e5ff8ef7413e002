package packs

import (
	"embed"
	"io/fs"
)

//go:embed national tokyo
var files embed.FS

// NationalID and TokyoID are the ids of the embedded packs.
const (
	NationalID = "jp-national"
	TokyoID    = "jp-tokyo"
)

// National returns the files of the national pack jp-national: its YAML
// rule files at the root and its rule tests under tests/.
func National() fs.FS { return sub("national") }

// Tokyo returns the files of the Tokyo pack jp-tokyo, which extends
// jp-national: load National first and layer Tokyo on it.
func Tokyo() fs.FS { return sub("tokyo") }

func sub(dir string) fs.FS {
	f, err := fs.Sub(files, dir)
	if err != nil {
		// fs.Sub fails only for an invalid path; dir is a constant.
		panic("packs: " + err.Error())
	}
	return f
}

//go:build linux

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// openPTY opens a pseudo-terminal and returns its terminal side: a real
// terminal for the detection, without a dependency.
func openPTY(t *testing.T) *os.File {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	t.Cleanup(func() { master.Close() })
	var unlock int32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, master.Fd(), syscall.TIOCSPTLCK, uintptr(unsafe.Pointer(&unlock))); e != 0 {
		t.Skipf("unlockpt: %v", e)
	}
	var n uint32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, master.Fd(), syscall.TIOCGPTN, uintptr(unsafe.Pointer(&n))); e != 0 {
		t.Skipf("ptsname: %v", e)
	}
	tty, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	require.NoError(t, err)
	t.Cleanup(func() { tty.Close() })
	return tty
}

func TestProgressOnATerminal(t *testing.T) {
	tty := openPTY(t)
	assert.True(t, isTerminal(tty))
	f, err := os.Create(filepath.Join(t.TempDir(), "results.jsonl"))
	require.NoError(t, err)
	defer f.Close()
	assert.NotNil(t, newProgress("auto", tty, f, 0), "stderr a terminal, results to a file: progress")
	assert.Nil(t, newProgress("auto", tty, tty, 0), "results on the same terminal: no progress")
	assert.Nil(t, newProgress("never", tty, f, 0))
	assert.NotNil(t, newProgress("auto", tty, nil, 0), "output written at the end (pack impact): progress on the terminal")
}

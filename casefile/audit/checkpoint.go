package audit

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Checkpoint is a signed statement "tenant T's log had Seq entries with head
// hash Hash at SignedAt", kept outside the database.
type Checkpoint struct {
	Tenant    string    `json:"tenant"`
	Seq       uint64    `json:"seq"`
	Hash      [32]byte  `json:"-"`
	SignedAt  time.Time `json:"signed_at"`
	KeyID     string    `json:"key_id"`
	Signature []byte    `json:"signature"`
}

const checkpointOrigin = "onestop-audit-checkpoint/v1"

// Body returns the signed text, in the style of a Go signed note:
//
//	onestop-audit-checkpoint/v1
//	tenant 131016
//	seq 1024
//	head <base64 SHA-256>
//	time 2025-04-01T09:00:00Z
func (c Checkpoint) Body() []byte {
	return fmt.Appendf(nil, "%s\ntenant %s\nseq %d\nhead %s\ntime %s\n", checkpointOrigin, c.Tenant, c.Seq,
		base64.StdEncoding.EncodeToString(c.Hash[:]), c.SignedAt.UTC().Format(time.RFC3339))
}

// Verify checks the signature with pub.
func (c Checkpoint) Verify(pub ed25519.PublicKey) error {
	if len(pub) != ed25519.PublicKeySize || !ed25519.Verify(pub, c.Body(), c.Signature) {
		return &TamperError{Tenant: c.Tenant, Seq: c.Seq, Kind: BadCheckpoint, Detail: "signature does not verify with key " + KeyID(pub)}
	}
	return nil
}

// Head returns the chain head the checkpoint vouches for.
func (c Checkpoint) Head() Head { return Head{Tenant: c.Tenant, Seq: c.Seq, Hash: c.Hash} }

// MarshalText writes the signed note: the body, a blank line and
// "— <key id> <base64 signature>".
func (c Checkpoint) MarshalText() ([]byte, error) {
	var b bytes.Buffer
	b.Write(c.Body())
	fmt.Fprintf(&b, "\n— %s %s\n", c.KeyID, base64.StdEncoding.EncodeToString(c.Signature))
	return b.Bytes(), nil
}

// ErrBadNote is returned when a checkpoint text cannot be parsed.
var ErrBadNote = errors.New("audit: malformed checkpoint note")

// UnmarshalText parses the MarshalText form (it does not verify it).
func (c *Checkpoint) UnmarshalText(text []byte) error {
	lines := strings.Split(strings.TrimRight(string(text), "\n"), "\n")
	if len(lines) != 7 || lines[0] != checkpointOrigin || lines[5] != "" {
		return ErrBadNote
	}
	field := func(line, key string) (string, error) {
		v, ok := strings.CutPrefix(line, key+" ")
		if !ok {
			return "", fmt.Errorf("%w: expected %q", ErrBadNote, key)
		}
		return v, nil
	}
	var out Checkpoint
	var err error
	if out.Tenant, err = field(lines[1], "tenant"); err != nil {
		return err
	}
	s, err := field(lines[2], "seq")
	if err != nil {
		return err
	}
	if out.Seq, err = strconv.ParseUint(s, 10, 64); err != nil {
		return fmt.Errorf("%w: seq: %v", ErrBadNote, err)
	}
	if s, err = field(lines[3], "head"); err != nil {
		return err
	}
	h, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(h) != 32 {
		return fmt.Errorf("%w: head hash", ErrBadNote)
	}
	copy(out.Hash[:], h)
	if s, err = field(lines[4], "time"); err != nil {
		return err
	}
	if out.SignedAt, err = time.Parse(time.RFC3339, s); err != nil {
		return fmt.Errorf("%w: time: %v", ErrBadNote, err)
	}
	sig := strings.Fields(strings.TrimPrefix(lines[6], "— "))
	if !strings.HasPrefix(lines[6], "— ") || len(sig) != 2 {
		return fmt.Errorf("%w: signature line", ErrBadNote)
	}
	out.KeyID = sig[0]
	if out.Signature, err = base64.StdEncoding.DecodeString(sig[1]); err != nil {
		return fmt.Errorf("%w: signature: %v", ErrBadNote, err)
	}
	*c = out
	return nil
}

// KeyID names a public key: the first 8 bytes of its SHA-256, in hex.
func KeyID(pub ed25519.PublicKey) string {
	sum := sha256.Sum256(pub)
	return fmt.Sprintf("%x", sum[:8])
}

// Signer signs checkpoints with an Ed25519 key. Keep the private key out of
// the database the log lives in.
type Signer struct {
	key ed25519.PrivateKey
	id  string
}

// NewSigner returns a Signer for key.
func NewSigner(key ed25519.PrivateKey) (*Signer, error) {
	if len(key) != ed25519.PrivateKeySize {
		return nil, fmt.Errorf("audit: ed25519 private key must be %d bytes, got %d", ed25519.PrivateKeySize, len(key))
	}
	return &Signer{key: key, id: KeyID(key.Public().(ed25519.PublicKey))}, nil
}

// Public returns the verification key to hand to auditors.
func (s *Signer) Public() ed25519.PublicKey { return s.key.Public().(ed25519.PublicKey) }

// Sign makes a checkpoint for head at time at.
func (s *Signer) Sign(head Head, at time.Time) Checkpoint {
	c := Checkpoint{Tenant: head.Tenant, Seq: head.Seq, Hash: head.Hash, SignedAt: at.UTC().Truncate(time.Second), KeyID: s.id}
	c.Signature = ed25519.Sign(s.key, c.Body())
	return c
}

// Sink receives checkpoints and keeps them outside the database.
// Implementations must be safe for concurrent use.
type Sink interface {
	Export(ctx context.Context, c Checkpoint) error
}

// SinkFunc adapts a function to a Sink.
type SinkFunc func(ctx context.Context, c Checkpoint) error

// Export calls f.
func (f SinkFunc) Export(ctx context.Context, c Checkpoint) error { return f(ctx, c) }

// WriterSink writes each checkpoint as a signed note followed by a blank line
// to W (an append-only file, a mail body, a WORM object writer).
type WriterSink struct {
	mu sync.Mutex
	W  io.Writer
}

// Export writes c.
func (s *WriterSink) Export(_ context.Context, c Checkpoint) error {
	b, _ := c.MarshalText()
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.W.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("audit: export checkpoint %d: %w", c.Seq, err)
	}
	return nil
}

// ReadCheckpoints reads the notes a WriterSink wrote.
func ReadCheckpoints(r io.Reader) ([]Checkpoint, error) {
	var out []Checkpoint
	sc := bufio.NewScanner(r)
	var cur []string
	flush := func() error {
		if len(cur) == 0 {
			return nil
		}
		var c Checkpoint
		if err := c.UnmarshalText([]byte(strings.Join(cur, "\n"))); err != nil {
			return err
		}
		out = append(out, c)
		cur = cur[:0]
		return nil
	}
	for sc.Scan() {
		line := sc.Text()
		// a note has one inner blank line before its signature line.
		if line == "" && len(cur) == 7 {
			if err := flush(); err != nil {
				return nil, err
			}
			continue
		}
		cur = append(cur, line)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return out, nil
}

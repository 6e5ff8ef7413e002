package web

import (
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Staff passwords are stored as PBKDF2-HMAC-SHA256 hashes with a random salt
// and the iteration count in the stored string, so the count can be raised
// later without invalidating old hashes. 600,000 iterations is OWASP's
// recommendation for PBKDF2-HMAC-SHA256 (Password Storage Cheat Sheet,
// 2023). A vendor with golang.org/x/crypto may prefer Argon2id; PBKDF2 is
// in the standard library (crypto/pbkdf2, Go 1.24), so this example needs
// no dependency for it.

// DefaultPasswordIterations is the PBKDF2 iteration count for new hashes.
const DefaultPasswordIterations = 600_000

const passwordScheme = "pbkdf2-sha256"

// hashPassword returns "pbkdf2-sha256$<iterations>$<salt>$<hash>".
func hashPassword(password string, iterations int) (string, error) {
	if iterations < 1 {
		iterations = DefaultPasswordIterations
	}
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key, err := pbkdf2.Key(sha256.New, password, salt, iterations, 32)
	if err != nil {
		return "", err
	}
	enc := base64.RawStdEncoding
	return fmt.Sprintf("%s$%d$%s$%s", passwordScheme, iterations, enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

var errBadHash = errors.New("malformed password hash")

// checkPassword reports whether password matches the stored hash, in time
// that does not depend on where the two differ.
func checkPassword(stored, password string) (bool, error) {
	parts := strings.Split(stored, "$")
	if len(parts) != 4 || parts[0] != passwordScheme {
		return false, errBadHash
	}
	iter, err := strconv.Atoi(parts[1])
	if err != nil || iter < 1 || iter > 10_000_000 {
		return false, errBadHash
	}
	enc := base64.RawStdEncoding
	salt, err := enc.DecodeString(parts[2])
	if err != nil {
		return false, errBadHash
	}
	want, err := enc.DecodeString(parts[3])
	if err != nil || len(want) != 32 {
		return false, errBadHash
	}
	got, err := pbkdf2.Key(sha256.New, password, salt, iter, 32)
	if err != nil {
		return false, err
	}
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

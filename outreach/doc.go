// Package outreach is push-type support (プッシュ型支援).
package outreach

package sqlstore_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/casefile/sqlstore"
)

// Open the embedded SQLite store (migrated on open) and use it under a
// casefile.Service.
func ExampleOpenSQLite() {
	dir, _ := os.MkdirTemp("", "casefile")
	defer os.RemoveAll(dir)
	ctx := context.Background()
	st, err := sqlstore.OpenSQLite(ctx, filepath.Join(dir, "casefile.db"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer st.Close()
	v, _ := st.SchemaVersion(ctx)
	fmt.Println("schema version", v)
	svc, err := casefile.New(st, casefile.Config{Roles: map[string]casefile.Permission{"caseworker": casefile.PermRead | casefile.PermWrite}})
	fmt.Println(svc != nil, err)
	// Output:
	// schema version 1
	// true <nil>
}

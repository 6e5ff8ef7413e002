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
	ms, _ := sqlstore.Migrations(sqlstore.SQLite)
	fmt.Println("schema up to date:", v == len(ms) && v > 0)
	svc, err := casefile.New(st, casefile.Config{Roles: map[string]casefile.Permission{"caseworker": casefile.PermRead | casefile.PermWrite}})
	fmt.Println(svc != nil, err)
	// Output:
	// schema up to date: true
	// true <nil>
}

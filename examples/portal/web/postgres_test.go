package web

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/onestop-jp/onestop/casefile/sqlstore"
	"github.com/onestop-jp/onestop/casefile/storetest"
)

// The portal on PostgreSQL (--store postgres://…): the portal's own tables
// are created beside the library's, and the resident, the departments and
// push-type support work the same. Runs when ONESTOP_TEST_POSTGRES_DSN is
// set, in a schema of its own.
func TestPortalOnPostgres(t *testing.T) {
	dsn := os.Getenv("ONESTOP_TEST_POSTGRES_DSN")
	if dsn == "" {
		t.Skip("ONESTOP_TEST_POSTGRES_DSN not set: the portal on PostgreSQL not tested")
	}
	ctx := context.Background()
	admin, err := sql.Open("pgx", dsn)
	require.NoError(t, err)
	defer admin.Close()
	schema := fmt.Sprintf("portal_%d", os.Getpid())
	_, err = admin.ExecContext(ctx, `CREATE SCHEMA `+schema)
	require.NoError(t, err)
	t.Cleanup(func() { _, _ = admin.ExecContext(context.Background(), `DROP SCHEMA `+schema+` CASCADE`) })
	st, err := sqlstore.OpenPostgres(ctx, storetest.WithSearchPath(dsn, schema))
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	p := newTestPortalOn(t, st, 3, testLimits)

	res := p.agent(t)
	res.screen(mother)
	no, code := res.record(mother)
	desk := p.agent(t).staffLogin("hitorioya.sato")
	id := desk.caseOf("山田 花子")
	desk.post("/staff/cases/"+id+"/referrals", url.Values{"org": {kosodateOrg}, "reason": {"childcare"}}).ok()
	kosodate := p.agent(t).staffLogin("kosodate.ito")
	kosodate.get("/staff/cases/" + id).ok()
	assert.Contains(t, kosodate.text(), "山田 花子")

	again := p.agent(t)
	again.get("/my").ok()
	again.post("/my/login", url.Values{"receipt_no": {no}, "code": {code}}).ok()
	assert.Contains(t, again.text(), "子育て支援課", "the disclosure register on PostgreSQL")

	desk.get("/staff/outreach").ok()
	desk.post("/staff/outreach/run", url.Values{"mode": {"real"}, "as_of": {p.app.today().String()}}).ok()
	desk.post("/staff/outreach/dispatch", nil).ok()
	desk.get("/staff/outbox").ok()
	assert.Contains(t, desk.text(), "aoki.emi@example.com")

	auditor := p.agent(t).staffLogin("kansa.matsumoto")
	auditor.get("/staff/audit").ok()
	auditor.post("/staff/audit/verify", nil).ok()
	assert.Contains(t, auditor.text(), "改ざんは見つかりませんでした")
}

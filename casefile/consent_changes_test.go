package casefile_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/consent"
)

// newCaseWithConsent creates a person, their case and their consent in one
// change set; fail makes the change set fail after the consent.
func newCaseWithConsent(s *casefile.Service, a casefile.Actor, fail error) (casefile.Person, error) {
	p := casefile.Person{Name: casefile.Name{Family: "鈴木", Given: "陽子"}}
	err := s.Change(context.Background(), a, consent.PurposeConsultation, func(c *casefile.Changes) error {
		if err := c.Create(&p); err != nil {
			return err
		}
		cf := casefile.CaseFile{SubjectID: p.ID, Status: casefile.StatusOpen, OwnerOrg: a.Org, OpenedOn: civil.MustDate(2025, 6, 2), IntakeRoute: "form"}
		if err := c.Create(&cf); err != nil {
			return err
		}
		if err := c.Create(&casefile.HouseholdMember{CaseID: cf.ID, PersonID: p.ID, Relationship: casefile.Relationship{Code: "self"}, LivesWith: new(true)}); err != nil {
			return err
		}
		ev, err := c.RecordConsent(p.ID, shareConsent(p.ID))
		if err != nil {
			return err
		}
		if ev.Seq != 1 {
			return errors.New("the first event of a subject is seq 1")
		}
		return fail
	})
	return p, err
}

func TestChangesRecordConsentIsPartOfTheChangeSet(t *testing.T) {
	ctx := context.Background()
	s, st, _ := newService(t, casefile.Config{})
	p, err := newCaseWithConsent(s, worker, nil)
	require.NoError(t, err)
	recs, err := s.ConsentRecords(ctx, worker, p.ID)
	require.NoError(t, err)
	require.Len(t, recs, 1)
	assert.Equal(t, "c-2025-0001", recs[0].ID)

	// a change set that fails after recording a consent writes nothing,
	// the consent event included
	before := countRows(t, st)
	_, err = newCaseWithConsent(s, worker, errors.New("later step failed"))
	require.Error(t, err)
	assert.Equal(t, before, countRows(t, st))

	// the same checks as Service.RecordConsent: no PermConsent, no consent
	// (and nothing else), and the refusal is audited
	writer := casefile.Actor{Tenant: tenant, User: "staff-w", Org: desk, Role: "writer"}
	head, err := st.AuditHead(ctx, tenant)
	require.NoError(t, err)
	_, err = newCaseWithConsent(s, writer, nil)
	var de *casefile.DeniedError
	require.True(t, errors.As(err, &de), "%v", err)
	assert.Equal(t, "no_role", de.Reason)
	assert.Equal(t, before, countRows(t, st))
	after, err := st.AuditHead(ctx, tenant)
	require.NoError(t, err)
	assert.Equal(t, head.Seq+1, after.Seq, "the refusal is recorded")

	// a second given event for the same consent id conflicts with the log
	err = s.Change(ctx, worker, consent.PurposeConsultation, func(c *casefile.Changes) error {
		_, err := c.RecordConsent(p.ID, shareConsent(p.ID))
		return err
	})
	require.Error(t, err)
	recs, err = s.ConsentRecords(ctx, worker, p.ID)
	require.NoError(t, err)
	require.Len(t, recs, 1)
}

func countRows(t *testing.T, st casefile.Store) int {
	t.Helper()
	n := 0
	err := st.View(context.Background(), tenant, func(tx casefile.Tx) error {
		for _, k := range casefile.Kinds() {
			rows, err := tx.List(context.Background(), casefile.Query{Kind: k})
			if err != nil {
				return err
			}
			n += len(rows)
		}
		return nil
	})
	require.NoError(t, err)
	return n
}

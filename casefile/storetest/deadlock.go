package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/onestop-jp/onestop/casefile"
)

// testCrossOrderUpdates (F10): two transactions update the same two rows
// in opposite orders. Whatever the store does about it (serialise, or
// abort one to break a deadlock), a transaction that fails fails with an
// error callers can retry on: errors.Is(err, casefile.ErrConflict). Nothing
// is half-written.
func testCrossOrderUpdates(t *testing.T, s casefile.Store) {
	ctx := context.Background()
	a, b := row(casefile.KindCase, casefile.NewID(), `{"n":0}`), row(casefile.KindPerson, casefile.NewID(), `{"n":0}`)
	require.NoError(t, update(t, s, func(tx casefile.Tx) error {
		if err := tx.Insert(ctx, a); err != nil {
			return err
		}
		return tx.Insert(ctx, b)
	}))
	const rounds = 4 // PostgreSQL detects each deadlock after deadlock_timeout (1 s)
	ok, retry := 0, 0
	for round := 1; round <= rounds; round++ {
		ra, err := get(t, s, a.Kind, a.ID)
		require.NoError(t, err)
		rb, err := get(t, s, b.Kind, b.ID)
		require.NoError(t, err)
		body := fmt.Sprintf(`{"n":%d}`, round)
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, order := range [][]casefile.Row{{ra, rb}, {rb, ra}} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = s.Update(ctx, tenant, func(tx casefile.Tx) error {
					for k, r := range order {
						if err := tx.Update(ctx, next(r, body)); err != nil {
							return err
						}
						if k == 0 {
							time.Sleep(20 * time.Millisecond) // both hold their first row
						}
					}
					return nil
				})
			}()
		}
		wg.Wait()
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case errors.Is(err, casefile.ErrConflict):
				retry++
			default:
				t.Errorf("round %d: %T %v is not retryable (errors.Is(err, ErrConflict) is false)", round, err, err)
			}
		}
		ra2, err := get(t, s, a.Kind, a.ID)
		require.NoError(t, err)
		rb2, err := get(t, s, b.Kind, b.ID)
		require.NoError(t, err)
		assert.Equal(t, ra2.Version-ra.Version, rb2.Version-rb.Version, "round %d: both rows or neither", round)
		assert.LessOrEqual(t, ra2.Version-ra.Version, int64(1))
	}
	assert.Equal(t, 2*rounds, ok+retry)
	assert.Positive(t, ok)
	t.Logf("%d rounds: %d committed, %d refused as retryable", rounds, ok, retry)
}

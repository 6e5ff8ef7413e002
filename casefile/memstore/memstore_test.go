package memstore_test

import (
	"testing"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/casefile/memstore"
	"github.com/onestop-jp/onestop/casefile/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) casefile.Store { return memstore.New() }, storetest.Options{})
}

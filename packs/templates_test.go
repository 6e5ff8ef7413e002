package packs_test

// The local templates (packs/templates): a municipality copies a folder and
// fills in parameters.yaml. Unfilled, a template must refuse to load and
// name every parameter to fill; filled (the example in
// testdata/template-example), its programmes must compile over the national
// pack and pass their rule tests with every condition seen true and false.

import (
	"os"
	"path"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/onestop-jp/onestop/eligibility"
	"github.com/onestop-jp/onestop/eligibility/ruletest"
	"github.com/onestop-jp/onestop/packs"
)

var templates = map[string][]string{
	"school-attendance-aid": {"saa_income_limits", "saa_income_step", "saa_income_switch_month", "saa_by_child_rearing_allowance", "saa_by_resident_tax_exempt"},
	"childcare-fee":         {"cf_levy_brackets", "cf_fees_under3"},
}

// filled is the template's pack.yaml and programs.yaml with the example's
// parameters.yaml and tests.
func filled(t *testing.T, name string) fstest.MapFS {
	t.Helper()
	fsys := fstest.MapFS{}
	read := func(from, to string) {
		b, err := os.ReadFile(from)
		require.NoError(t, err)
		fsys[to] = &fstest.MapFile{Data: b}
	}
	read(filepath.Join("templates", name, "pack.yaml"), "pack.yaml")
	read(filepath.Join("templates", name, "programs.yaml"), "programs.yaml")
	example := filepath.Join("testdata", "template-example", name)
	read(filepath.Join(example, "parameters.yaml"), "parameters.yaml")
	tests, err := os.ReadDir(filepath.Join(example, "tests"))
	require.NoError(t, err)
	for _, e := range tests {
		read(filepath.Join(example, "tests", e.Name()), path.Join("tests", e.Name()))
	}
	return fsys
}

func TestTemplatesRefuseToLoadUnfilled(t *testing.T) {
	for name, params := range templates {
		_, err := eligibility.LoadPack(os.DirFS(filepath.Join("templates", name)), "templates/"+name)
		require.Error(t, err, name)
		for _, p := range params {
			assert.Contains(t, err.Error(), `"`+p+`" に values:`, name)
		}
	}
}

func TestTemplatesFilled(t *testing.T) {
	nat, err := eligibility.LoadPack(packs.National(), "packs/national")
	require.NoError(t, err)
	for name := range templates {
		t.Run(name, func(t *testing.T) {
			fsys := filled(t, name)
			local, err := eligibility.LoadPack(fsys, "template-example/"+name)
			require.NoError(t, err)
			e, err := eligibility.Compile([]*eligibility.Pack{nat, local})
			require.NoError(t, err)
			for _, w := range e.Warnings() {
				t.Errorf("warning: %s", w)
			}
			tests, err := eligibility.LoadRuleTests(fsys, "template-example/"+name)
			require.NoError(t, err)
			r := ruletest.RunEngine(t, e, tests, ruletest.CoverExpectedOnly())
			require.Equal(t, []string{"jp-municipality-" + name}, r.CoveredPacks)
			requireCovered(t, r)
		})
	}
}

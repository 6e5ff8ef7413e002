package csvio_test

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/onestop-jp/onestop/casefile/csvio"
)

// Import a legacy file; a bad row stops the whole import with row and
// column, and nothing is written.
func ExampleImport() {
	s := service(nopT{})
	ctx := context.Background()
	good := "世帯番号,宛名番号,続柄コード,氏,名,生年月日\n" +
		"H1,0012345,本人,山田,花子,平成2年5月1日\n" +
		"H1,0012346,子,山田,太郎,R1.5.1\n"
	res, err := csvio.Import(ctx, s, worker, "jukki-20250401.csv", strings.NewReader(good), csvio.Options{})
	fmt.Println(res.Households, res.Persons, err)

	bad := "世帯番号,宛名番号,続柄コード,氏,生年月日\nH2,0020001,本人,鈴木,令和元年4月30日\n"
	_, err = csvio.Import(ctx, s, worker, "bad.csv", strings.NewReader(bad), csvio.Options{})
	var ie *csvio.ImportError
	if errors.As(err, &ie) {
		fmt.Println(ie.Errors[0])
	}
	// Output:
	// 1 2 <nil>
	// 2行目「生年月日」: 3文字目: 令和元年4月30日は令和の期間外です（令和は2019年5月1日から）
}

type nopT struct{}

func (nopT) Errorf(format string, args ...any) { panic(fmt.Sprintf(format, args...)) }
func (nopT) FailNow()                          { panic("failed") }
func (nopT) Helper()                           {}

package bundle

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/iotcert/iotcert/profile"
)

// fill sets every field of v, recursively, to a value of its own that is
// not the zero value: strings name their field and n, numbers count up,
// slices get two elements, pointers a value.
func fill(v reflect.Value, n *int) {
	*n++
	switch v.Kind() {
	case reflect.String:
		v.SetString(fmt.Sprintf("%s-%d", v.Type().Name(), *n))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(*n))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(uint64(*n % 200))
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), n)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := range 2 {
			fill(v.Index(i), n)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			fill(v.Field(i), n)
		}
	default:
		panic("fill: " + v.Type().String())
	}
}

// TestResultRecordAllFields checks that a Result with every field set
// (findings, path, chain and origins included) comes back whole from its
// record: a field added to Result and not to the record fails it.
func TestResultRecordAllFields(t *testing.T) {
	var want profile.Result
	n := 0
	fill(reflect.ValueOf(&want).Elem(), &n)
	got, err := decodeResult(appendResult(nil, &want))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("decoded\n%+v\nwant\n%+v", got, want)
	}
}

// TestResultRecordNilEmpty checks that nil and empty Findings, and a nil
// Path, stay as they were (the JSON report writes null and [] apart).
func TestResultRecordNilEmpty(t *testing.T) {
	for _, want := range []profile.Result{
		{Subject: "CN=nil findings"},
		{Subject: "CN=no findings", Findings: []profile.Finding{}},
		{Path: &profile.Path{Reason: "no chain"}},
	} {
		got, err := decodeResult(appendResult(nil, &want))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("decoded %#v, want %#v", got, want)
		}
	}
}

// TestResultRecordMalformed checks that a cut or lengthened record, and a
// length past the end of the spool, are errors, not panics.
func TestResultRecordMalformed(t *testing.T) {
	var res profile.Result
	n := 0
	fill(reflect.ValueOf(&res).Elem(), &n)
	rec := appendResult(nil, &res)
	for i := range len(rec) {
		if _, err := decodeResult(rec[:i]); !errors.Is(err, errResultRecord) {
			t.Fatalf("record cut at %d of %d: %v", i, len(rec), err)
		}
	}
	if _, err := decodeResult(append(rec, 0)); !errors.Is(err, errResultRecord) {
		t.Errorf("record with a byte more: %v", err)
	}
	spool := binary.AppendUvarint(nil, 1000)
	if _, err := readResult(bufio.NewReader(bytes.NewReader(spool)), new([]byte), int64(len(spool))); !errors.Is(err, errResultRecord) {
		t.Errorf("length past the end of the spool: %v", err)
	}
}

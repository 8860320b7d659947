package typed

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAssert(t *testing.T) {
	t.Run("a value of the wanted type comes back", func(t *testing.T) {
		n, err := Assert[int](any(3))
		require.NoError(t, err)
		assert.Equal(t, 3, n)
		r, err := Assert[io.Reader](any(&json.Decoder{}))
		require.Error(t, err, "a *json.Decoder is not an io.Reader")
		assert.Nil(t, r)
	})
	t.Run("the error names both types and matches errors.As", func(t *testing.T) {
		_, err := Assert[int]("x")
		require.EqualError(t, err, "typed: got string, want int")
		var te *TypeError
		require.ErrorAs(t, fmt.Errorf("decoding: %w", err), &te)
		assert.Equal(t, reflect.TypeFor[int](), te.Want)
		assert.Equal(t, reflect.TypeFor[string](), te.Got)
		te2, ok := errors.AsType[*TypeError](err)
		require.True(t, ok)
		assert.Same(t, te, te2)
	})
	t.Run("a nil interface holds no value of any type", func(t *testing.T) {
		_, err := Assert[int](nil)
		require.EqualError(t, err, "typed: got nil, want int")
		_, err = Assert[error](nil)
		require.EqualError(t, err, "typed: got nil, want error")
		_, ok := Check[any](nil)
		assert.False(t, ok, "Check[any](nil), as nil.(any)")
	})
	t.Run("Check is the two-value form", func(t *testing.T) {
		s, ok := Check[string]("x")
		assert.True(t, ok)
		assert.Equal(t, "x", s)
		n, ok := Check[int]("x")
		assert.False(t, ok)
		assert.Zero(t, n)
	})
}

// TestPitfallC1Assertion pins the panic of the single-value assertion.
func TestPitfallC1Assertion(t *testing.T) {
	var v any = "not a number"
	require.PanicsWithError(t, "interface conversion: interface {} is string, not int", func() { _ = v.(int) })
	_, err := Assert[int](v)
	require.EqualError(t, err, "typed: got string, want int")
}

type myErr struct{}

func (*myErr) Error() string { return "my error" }

func mayFail(fail bool) error {
	var p *myErr
	if fail {
		p = &myErr{}
	}
	return p // the bug: a typed nil when !fail
}

// TestPitfallC4TypedNil pins that a nil pointer in an interface is not nil.
func TestPitfallC4TypedNil(t *testing.T) {
	err := mayFail(false)
	require.NotEqual(t, error(nil), err, "a nil *myErr in an error is != nil")
	require.True(t, IsNil(err), "IsNil sees the nil pointer inside")

	p, aerr := Assert[*myErr](err)
	require.NoError(t, aerr, "a typed nil holds its type: the assertion succeeds")
	require.Nil(t, p)

	assert.True(t, IsNil(nil))
	assert.True(t, IsNil([]int(nil)))
	assert.True(t, IsNil(map[int]int(nil)))
	assert.True(t, IsNil((chan int)(nil)))
	assert.True(t, IsNil((func())(nil)))
	assert.True(t, IsNil(unsafe.Pointer(nil)))
	assert.False(t, IsNil(0))
	assert.False(t, IsNil(""))
	assert.False(t, IsNil(&myErr{}))
	assert.False(t, IsNil([]int{}))
}

// TestPitfallC5WrappedError pins that asserting a concrete type on a wrapped
// error fails, and that errors.AsType finds it.
func TestPitfallC5WrappedError(t *testing.T) {
	err := fmt.Errorf("op: %w", &myErr{})
	_, ok := err.(*myErr)
	require.False(t, ok, "err.(*myErr) on a wrapped error")
	_, aerr := Assert[*myErr](err)
	require.Error(t, aerr, "Assert, like the assertion, looks at the outer error only")
	me, ok := errors.AsType[*myErr](err)
	require.True(t, ok)
	require.NotNil(t, me)
}

// TestPitfallC6JSON pins the panic of asserting deep into JSON decoded into
// any, and shows Assert at the boundary and typed decoding as the cure.
func TestPitfallC6JSON(t *testing.T) {
	doc := []byte(`{"user": {"age": "forty"}}`)
	var raw map[string]any
	require.NoError(t, json.Unmarshal(doc, &raw))
	require.Panics(t, func() { _ = raw["user"].(map[string]any)["age"].(float64) })

	user, err := Assert[map[string]any](raw["user"])
	require.NoError(t, err)
	_, err = Assert[float64](user["age"])
	require.EqualError(t, err, "typed: got string, want float64")

	var typed struct {
		User struct {
			Age json.RawMessage `json:"age"`
		} `json:"user"`
	}
	require.NoError(t, json.Unmarshal(doc, &typed))
	var age int
	require.Error(t, json.Unmarshal(typed.User.Age, &age), "the shape error surfaces as an error, where it is decoded")
}

// FuzzAssert checks Assert and Check against the language's own assertion on
// values of many dynamic types: they agree, and they never panic.
func FuzzAssert(f *testing.F) {
	f.Add(uint8(0), int64(1), "a")
	f.Add(uint8(3), int64(-1), "")
	f.Add(uint8(7), int64(0), "x")
	f.Fuzz(func(t *testing.T, kind uint8, n int64, s string) {
		var v any
		switch kind % 9 {
		case 0:
			v = n
		case 1:
			v = int(n)
		case 2:
			v = s
		case 3:
			v = nil
		case 4:
			v = []byte(s)
		case 5:
			v = errors.New(s)
		case 6:
			v = (*myErr)(nil)
		case 7:
			v = float64(n)
		case 8:
			v = map[string]int64{s: n}
		}
		checkAgainstLanguage[int64](t, v)
		checkAgainstLanguage[int](t, v)
		checkAgainstLanguage[string](t, v)
		checkAgainstLanguage[error](t, v)
		checkAgainstLanguage[fmt.Stringer](t, v)
		checkAgainstLanguage[[]byte](t, v)
		checkAgainstLanguage[any](t, v)
		_ = IsNil(v)
	})
}

func checkAgainstLanguage[T any](t *testing.T, v any) {
	want, wantOK := v.(T)
	got, err := Assert[T](v)
	got2, ok := Check[T](v)
	if ok != wantOK || (err == nil) != wantOK {
		t.Fatalf("Assert[%v](%#v) = _, %v and Check = _, %v; want ok %v", reflect.TypeFor[T](), v, err, ok, wantOK)
	}
	if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(got2, want) {
		t.Fatalf("Assert[%v](%#v) = %#v, Check = %#v; want %#v", reflect.TypeFor[T](), v, got, got2, want)
	}
	if err != nil {
		var te *TypeError
		if !errors.As(err, &te) || te.Want != reflect.TypeFor[T]() || te.Got != reflect.TypeOf(v) {
			t.Fatalf("Assert[%v](%#v) error = %#v; want a *TypeError naming both types", reflect.TypeFor[T](), v, err)
		}
	}
}

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestAPI(t *testing.T) {
	t.Run("lists every kind of exported name of a module, and nothing else", func(t *testing.T) {
		var out, errs bytes.Buffer
		if code := run([]string{"-C", filepath.Join("testdata", "mod"), "./..."}, &out, &errs); code != 0 {
			t.Fatalf("run = %d; want 0 (stderr: %s)", code, errs.String())
		}
		want, err := os.ReadFile(filepath.Join("testdata", "api.golden"))
		if err != nil {
			t.Fatal(err)
		}
		if got := out.String(); got != string(want) {
			t.Errorf("api output differs from testdata/api.golden:\ngot:\n%s\nwant:\n%s", got, want)
		}
	})
	t.Run("a missing package is an error with exit code 1", func(t *testing.T) {
		var out, errs bytes.Buffer
		code := run([]string{"-C", filepath.Join("testdata", "mod"), "example.com/mod/nosuch"}, &out, &errs)
		if code != 1 || !strings.Contains(errs.String(), "nosuch") || out.Len() != 0 {
			t.Errorf("run = %d, stdout %q, stderr %q; want 1, nothing, an error naming the package", code, out.String(), errs.String())
		}
	})
	t.Run("a bad flag is a usage error with exit code 2", func(t *testing.T) {
		var out, errs bytes.Buffer
		if code := run([]string{"-nosuchflag"}, &out, &errs); code != 2 || !strings.Contains(errs.String(), "usage: api") {
			t.Errorf("run = %d, stderr %q; want 2 and the usage", code, errs.String())
		}
	})
	t.Run("the default pattern is ./...", func(t *testing.T) {
		var out, errs bytes.Buffer
		dir := filepath.Join("testdata", "mod", "shapes")
		if code := run([]string{"-C", dir}, &out, &errs); code != 0 || !strings.Contains(out.String(), "func Chans(") {
			t.Errorf("run = %d, stdout %q, stderr %q; want 0 and the package's API", code, out.String(), errs.String())
		}
	})
}

func TestFlags(t *testing.T) {
	t.Run("lists a checker's flags, switches as bool", func(t *testing.T) {
		tool := filepath.Join(t.TempDir(), "checker")
		script := "#!/bin/sh\n[ \"$1\" = -flags ] || exit 9\n" +
			`echo '[{"Name":"json","Bool":true,"Usage":"x"},{"Name":"c","Bool":false,"Usage":"y"},{"Name":"nowait","Bool":true,"Usage":"z"}]'` + "\n"
		if err := os.WriteFile(tool, []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
		var out, errs bytes.Buffer
		if code := run([]string{"-flags", tool}, &out, &errs); code != 0 {
			t.Fatalf("run = %d; want 0 (stderr: %s)", code, errs.String())
		}
		want := "cmd checker, flag -c value\ncmd checker, flag -json bool\ncmd checker, flag -nowait bool\n"
		if out.String() != want {
			t.Errorf("run -flags printed\n%s\nwant\n%s", out.String(), want)
		}
	})
	t.Run("a checker that fails or prints no JSON is an error", func(t *testing.T) {
		for _, script := range []string{"#!/bin/sh\nexit 1\n", "#!/bin/sh\necho not json\n"} {
			tool := filepath.Join(t.TempDir(), "checker")
			if err := os.WriteFile(tool, []byte(script), 0o755); err != nil {
				t.Fatal(err)
			}
			var out, errs bytes.Buffer
			if code := run([]string{"-flags", tool}, &out, &errs); code != 1 || !strings.Contains(errs.String(), "-flags") {
				t.Errorf("run -flags with %q = %d, stderr %q; want 1 and an error", script, code, errs.String())
			}
		}
	})
}

package golangci

import (
	"slices"
	"strings"
	"testing"

	"github.com/golangci/plugin-module-register/register"
)

// settings builds what golangci-lint hands a plugin: the YAML settings
// decoded into maps and slices of any.
func settings(enable, disable []any) any {
	m := map[string]any{}
	if enable != nil {
		m["enable"] = enable
	}
	if disable != nil {
		m["disable"] = disable
	}
	return m
}

func names(t *testing.T, conf any) []string {
	t.Helper()
	newPlugin, err := register.GetPlugin("boundvet")
	if err != nil {
		t.Fatal(err)
	}
	p, err := newPlugin(conf)
	if err != nil {
		t.Fatal(err)
	}
	if p.GetLoadMode() != register.LoadModeTypesInfo {
		t.Errorf("GetLoadMode() = %q; want %q", p.GetLoadMode(), register.LoadModeTypesInfo)
	}
	as, err := p.BuildAnalyzers()
	if err != nil {
		t.Fatal(err)
	}
	var ns []string
	for _, a := range as {
		ns = append(ns, a.Name)
	}
	return ns
}

func TestPluginDefaults(t *testing.T) {
	for _, conf := range []any{nil, map[string]any{}} {
		got := names(t, conf)
		if !slices.Contains(got, "orphansend") || !slices.Contains(got, "directive") || slices.Contains(got, "barego") {
			t.Errorf("plugin with settings %v runs %v; want the defaults and directive, no barego", conf, got)
		}
	}
}

func TestPluginSettings(t *testing.T) {
	got := names(t, settings([]any{"barego"}, []any{"nowait"}))
	if !slices.Contains(got, "barego") || slices.Contains(got, "nowait") || !slices.Contains(got, "orphansend") {
		t.Errorf("plugin with enable [barego], disable [nowait] runs %v", got)
	}
}

func TestPluginRejectsBadSettings(t *testing.T) {
	newPlugin, err := register.GetPlugin("boundvet")
	if err != nil {
		t.Fatal(err)
	}
	for _, conf := range []any{
		settings([]any{"nowiat"}, nil),
		map[string]any{"enabled": []any{"barego"}}, // a misspelt key
	} {
		if _, err := newPlugin(conf); err == nil {
			t.Errorf("plugin with settings %v: no error", conf)
		} else if !strings.Contains(err.Error(), "nowiat") && !strings.Contains(err.Error(), "enabled") {
			t.Errorf("plugin with settings %v: error %v does not name the bad setting", conf, err)
		}
	}
}

// Package golangci makes boundvet a golangci-lint v2 module plugin named
// "boundvet". Build a golangci-lint that holds it with golangci-lint
// custom and a .custom-gcl.yml such as
//
//	version: v2.15.0
//	plugins:
//	  - module: github.com/boundgo/bound/vet
//	    import: github.com/boundgo/bound/vet/golangci
//	    version: latest
//
// then enable it in .golangci.yml:
//
//	version: "2"
//	linters:
//	  enable:
//	    - boundvet
//	  settings:
//	    custom:
//	      boundvet:
//	        type: module
//	        description: goroutine leaks, broken defer chains, unchecked assertions
//	        settings:
//	          enable: [barego]     # opt-in checks to add, or "all"
//	          disable: [errassert] # checks to drop, or "all"
//
// The checks are those of the boundvet command, chosen by the same rule: the
// default checks and the directive check, plus those in enable, minus those
// in disable. A name that is not a check is a configuration error. Findings
// are the linter boundvet's, silenced by golangci-lint's //nolint:boundvet
// or by boundvet's own //boundvet:ignore <check> <reason>.
package golangci

import (
	"github.com/boundgo/bound/vet/suite"
	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"
)

func init() {
	register.Plugin("boundvet", New)
}

// Settings are the plugin's settings in .golangci.yml.
type Settings struct {
	Enable  []string `json:"enable"`  // checks to run besides the defaults, "all" for every one
	Disable []string `json:"disable"` // checks not to run, "all" for every one
}

// New returns the plugin for the settings golangci-lint read from its
// configuration; it is what register.Plugin is given.
func New(settings any) (register.LinterPlugin, error) {
	s, err := register.DecodeSettings[Settings](settings)
	if err != nil {
		return nil, err
	}
	analyzers, err := suite.Select(s.Enable, s.Disable)
	if err != nil {
		return nil, err
	}
	return plugin(analyzers), nil
}

type plugin []*analysis.Analyzer

func (p plugin) BuildAnalyzers() ([]*analysis.Analyzer, error) { return p, nil }

// GetLoadMode asks for type information: every check needs it.
func (plugin) GetLoadMode() string { return register.LoadModeTypesInfo }

// Package suite lists boundvet's checks, for the command and the
// golangci-lint plugin.
package suite

import (
	"github.com/boundgo/bound/vet/passes/addinside"
	"github.com/boundgo/bound/vet/passes/barego"
	"github.com/boundgo/bound/vet/passes/blockforever"
	"github.com/boundgo/bound/vet/passes/ctxvalue"
	"github.com/boundgo/bound/vet/passes/deferclobber"
	"github.com/boundgo/bound/vet/passes/deferloop"
	"github.com/boundgo/bound/vet/passes/detachedctx"
	"github.com/boundgo/bound/vet/passes/errassert"
	"github.com/boundgo/bound/vet/passes/fieldcancel"
	"github.com/boundgo/bound/vet/passes/nowait"
	"github.com/boundgo/bound/vet/passes/orphansend"
	"github.com/boundgo/bound/vet/passes/rangenoclose"
	"github.com/boundgo/bound/vet/passes/uselib"
	"golang.org/x/tools/go/analysis"
)

// Default lists the checks that are on unless disabled.
var Default = []*analysis.Analyzer{
	rangenoclose.Analyzer,
	orphansend.Analyzer,
	nowait.Analyzer,
	addinside.Analyzer,
	deferclobber.Analyzer,
	blockforever.Analyzer,
	fieldcancel.Analyzer,
	ctxvalue.Analyzer,
	errassert.Analyzer,
}

// OptIn lists the checks that are off unless enabled: those below the
// precision a default check must reach on real code (vet/testdata/corpus.md).
var OptIn = []*analysis.Analyzer{
	barego.Analyzer,
	deferloop.Analyzer,
	detachedctx.Analyzer,
	uselib.Analyzer,
}

package eligibility

import "cel.dev/cel-go/cel"

type compiler struct {
	opts    options
	ps      problems
	engine  *Engine
	env     *cel.Env // of the current library version
	envs    map[uint32]*cel.Env
	sources map[string][]byte
	// usedParams marks parameters read by some expression.
	usedParams map[int]bool
	// deps are the program('id') references (deps.go).
	deps *programDeps
}

type layeredProgram struct {
	prog    *Program
	layer   PackInfo
	library uint32 // the library version its pack was written for
}

// layer merges the packs' parameters and programmes, checking that each
// later pack extends an earlier one and that overrides are explicit.
func (c *compiler) layer(packs []*Pack) ([]*Parameter, []layeredProgram) {
	var params []*Parameter
	pIndex := map[string]int{}
	var progs []layeredProgram
	gIndex := map[string]int{}
	seen := map[string]bool{}
	for li, p := range packs {
		for f, src := range p.sources {
			c.sources[f] = src
		}
		info := PackInfo{ID: p.ID, Version: p.Version, Title: p.Title}
		switch {
		case seen[p.ID]:
			c.ps.errorf(p.Name, 0, 0, "layer", "ルールパック %q が2回指定されています", p.ID)
			continue
		case li == 0 && p.Extends != "":
			c.ps.errorf(p.Name, 0, 0, "layer", "ルールパック %q は %q に重ねるパックです。先に %q を指定してください", p.ID, p.Extends, p.Extends)
			continue
		case li > 0 && p.Extends == "":
			c.ps.errorf(p.Name, 0, 0, "layer", "ルールパック %q は土台となるパックです。重ねるパックには extends: で土台のパックIDを書いてください", p.ID)
			continue
		case li > 0 && !seen[p.Extends]:
			c.ps.errorf(p.Name, 0, 0, "layer", "ルールパック %q は %q に重ねるパックですが、%q がその前に指定されていません", p.ID, p.Extends, p.Extends)
			continue
		}
		seen[p.ID] = true
		lib := p.Library
		if lib == 0 {
			lib = LibraryVersion
		}
		for _, par := range p.Parameters {
			i, exists := pIndex[par.Name]
			switch {
			case exists && !par.Override:
				prev := params[i]
				c.ps.errorf(par.Pos.File, par.Pos.Line, par.Pos.Col, "layer", "パラメータ %q は %s:%d で定義済みです。置き換えるときは override: true を書いてください", par.Name, prev.Pos.File, prev.Pos.Line)
			case !exists && par.Override:
				c.ps.errorf(par.Pos.File, par.Pos.Line, par.Pos.Col, "layer", "override: true のパラメータ %q に置き換える元がありません", par.Name)
			case exists:
				if params[i].Type != par.Type {
					c.ps.errorf(par.Pos.File, par.Pos.Line, par.Pos.Col, "layer", "パラメータ %q の型 %s は置き換え元の型 %s と同じにしてください", par.Name, par.Type, params[i].Type)
				}
				params[i] = par
			default:
				pIndex[par.Name] = len(params)
				params = append(params, par)
			}
		}
		for _, pr := range p.Programs {
			i, exists := gIndex[pr.ID]
			switch {
			case exists && !pr.Override:
				prev := progs[i].prog
				c.ps.errorf(pr.Pos.File, pr.Pos.Line, pr.Pos.Col, "layer", "制度ID %q は %s:%d で定義済みです。置き換えるときは override: true を書いてください", pr.ID, prev.Pos.File, prev.Pos.Line)
			case !exists && pr.Override:
				c.ps.errorf(pr.Pos.File, pr.Pos.Line, pr.Pos.Col, "layer", "override: true の制度 %q に置き換える元がありません", pr.ID)
			case exists:
				progs[i] = layeredProgram{pr, info, lib}
			default:
				gIndex[pr.ID] = len(progs)
				progs = append(progs, layeredProgram{pr, info, lib})
			}
		}
	}
	return params, progs
}

package eligibility

import (
	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/ext"
)

// buildEnv builds the environment of the current library version; envFor
// those of older versions that packs pin.
func (c *compiler) buildEnv() error {
	c.envs = map[uint32]*cel.Env{}
	env, err := c.newEnv(LibraryVersion)
	if err != nil {
		return err
	}
	c.env = env
	c.envs[LibraryVersion] = env
	c.usedParams = map[int]bool{}
	return nil
}

func (c *compiler) envFor(version uint32) (*cel.Env, error) {
	if env, ok := c.envs[version]; ok {
		return env, nil
	}
	env, err := c.newEnv(version)
	if err != nil {
		return nil, err
	}
	c.envs[version] = env
	return env, nil
}

func (c *compiler) newEnv(version uint32) (*cel.Env, error) {
	provider, err := newTypeProvider(c.engine.params)
	if err != nil {
		return nil, err
	}
	opts := []cel.EnvOption{
		cel.CustomTypeProvider(provider),
		cel.Variable("household", householdType),
		cel.Variable("as_of", dateType),
		cel.Variable("params", paramsType),
		cel.OptionalTypes(),
		ext.Strings(), ext.Lists(), ext.Sets(), ext.Math(), ext.Bindings(),
	}
	opts = append(opts, cel.Lib(&library{version: version}))
	return cel.NewEnv(opts...)
}

func typeName(t *types.Type) string {
	switch t {
	case types.BoolType:
		return "真偽値（bool）"
	case types.IntType:
		return "整数（int, 円）"
	case types.StringType:
		return "文字列（string）"
	case decimalType:
		return "小数（Decimal。round_yen で円にしてください）"
	case dateType:
		return "日付（Date）"
	}
	return t.String()
}

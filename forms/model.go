package forms

import (
	"embed"
	"io/fs"
)

//go:embed model
var modelFiles embed.FS

// Embedded definitions.
const (
	// ModelPath is the model form of the national programme (part ②).
	ModelPath = "jp-model.yaml"
	// ChildRearingAllowancePath is the application 児童扶養手当認定請求書.
	ChildRearingAllowancePath = "applications/child-rearing-allowance.yaml"
	// TokyoMedicalPath is the application for the Tokyo programme
	// ひとり親家庭等医療費助成 (マル親), a local programme's example.
	TokyoMedicalPath = "applications/tokyo-single-parent-medical.yaml"
)

// ModelFiles returns the embedded definitions: the model form at
// ModelPath and the applications under applications/. A municipality
// copies them, changes the department codes and wording, and loads its
// copy with Load.
func ModelFiles() fs.FS {
	f, err := fs.Sub(modelFiles, "model")
	if err != nil {
		// fs.Sub fails only for an invalid path; "model" is a constant.
		panic("forms: " + err.Error())
	}
	return f
}

// Model compiles the embedded model form of the national programme.
func Model() (*Form, error) { return Load(ModelFiles(), ModelPath) }

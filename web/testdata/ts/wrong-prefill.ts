// prefill takes only the non-secret fields: no secretValue.
// want: 'secretValue' does not exist in type 'SocredPrefillFields'
import "../../static/socred-element.js";
document.querySelector("socred-credentials")!.prefill({ secretValue: "x" });

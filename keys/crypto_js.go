//go:build js

package keys

import "socred/internal/minicrypto"

var (
	newSHA1       = minicrypto.NewSHA1
	newSHA256     = minicrypto.NewSHA256
	newHMAC       = minicrypto.NewHMAC
	equalMAC      = minicrypto.Equal
	pbkdf2Key     = minicrypto.PBKDF2
	decryptAESCBC = minicrypto.DecryptAESCBC
)

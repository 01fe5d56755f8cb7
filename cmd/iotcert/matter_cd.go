package main

import (
	"errors"
	"fmt"
	"slices"

	"github.com/zmap/zcrypto/x509"

	"github.com/iotcert/iotcert/bundle"
	"github.com/iotcert/iotcert/certio"
	"github.com/iotcert/iotcert/internal/boundedread"
	"github.com/iotcert/iotcert/internal/certparse"
	"github.com/iotcert/iotcert/matter"
)

// maxCDSize bounds a --matter-cd file: a Certification Declaration is a
// few hundred bytes (the SDK's kMaxCMSSignedCDMessage is 780).
const maxCDSize = 64 << 10

// matterCD reads the --matter-cd, --matter-cd-trust and --matter-product
// flags into the bundle option; nil when --matter-cd is not given.
func (c *chainFlags) matterCD(lineage []string) (*bundle.MatterCD, error) {
	if c.matterCDFile == "" {
		if len(c.matterCDTrust) > 0 || c.matterProduct != "" {
			return nil, errors.New("--matter-cd-trust and --matter-product need --matter-cd")
		}
		return nil, nil
	}
	if !slices.Contains(lineage, "matter") {
		return nil, fmt.Errorf("--matter-cd: profile %q is not matter", c.profile)
	}
	der, err := boundedread.ReadFile(c.matterCDFile, maxCDSize)
	if err != nil {
		return nil, fmt.Errorf("--matter-cd: %w", err)
	}
	cd, err := matter.ParseSignedCD(der)
	if err != nil {
		return nil, fmt.Errorf("--matter-cd %s: %w", c.matterCDFile, err)
	}
	out := &bundle.MatterCD{CD: cd}
	if len(c.matterCDTrust) > 0 {
		out.Signers = []*x509.Certificate{}
		for it := range readAnchors(c.matterCDTrust, nil, certio.Options{}) {
			if it.Err != nil {
				return nil, fmt.Errorf("--matter-cd-trust: %w", it.Err)
			}
			cert, err := certio.Parse(it.DER)
			if err != nil {
				return nil, fmt.Errorf("--matter-cd-trust: %s: %s", it.Origin, certparse.DescribeError(err))
			}
			out.Signers = append(out.Signers, cert)
		}
	}
	if c.matterProduct != "" {
		p, err := matter.ParseProduct(c.matterProduct)
		if err != nil {
			return nil, fmt.Errorf("--matter-product: %w", err)
		}
		out.Product = &p
	}
	return out, nil
}

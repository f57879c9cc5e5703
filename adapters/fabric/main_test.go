package fabric_test

import (
	"os"
	"testing"

	"github.com/ledgergate/ledgergate/adapters/fabric/fabrictest"
)

func TestMain(m *testing.M) { os.Exit(fabrictest.Main(m)) }

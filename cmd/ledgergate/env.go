package main

import "os"

// getenv is os.Getenv; tests replace it.
var getenv = os.Getenv

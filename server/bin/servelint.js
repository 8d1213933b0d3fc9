#!/usr/bin/env node
require("../../out/server/src/cli/main.js");

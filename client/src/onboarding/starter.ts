/** The commented .servelint.yaml that "servelint: Create .servelint.yaml" writes (test/unit/starter-config.test.ts validates it). */
export const STARTER_CONFIG = `# servelint configuration: https://github.com/servelint/servelint/blob/main/docs/configuration.md
# Everything here is optional. Per-workload annotations (servelint.io/...) win over this file,
# and the servelint.* editor settings win over it in VS Code.
$schema: https://raw.githubusercontent.com/servelint/servelint/main/schemas/servelint-config.schema.json

# Rule severities: error, warning, info or off.
rules:
  # missing-readiness-probe: error
  # canary-without-analysis: off

# What servelint assumes when a manifest does not say (the hovers show where each number comes from).
assumptions:
  maxOutputTokens: 4096        # longest answer to plan grace periods and drains for
  # secondsPerOutputToken: 0.03 # decode time per token of one stream
  # utilization: 0.7            # fraction of provisioned throughput used on average (divides $/token)
  # weightLoadSeconds: 120      # measured time to load the weights, instead of the estimate

gpus:
  # default: H100-SXM           # GPU to assume when node selectors do not name one
  prices: {}                    # your negotiated $/GPU-hour, e.g. { H100-SXM: 2.5, L4: 0.6 }

# A hosted API price to compare the self-hosted $/1M tokens against.
# hostedApi:
#   name: my-provider
#   inputPerMillion: 0.2
#   outputPerMillion: 0.6
`;

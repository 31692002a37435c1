# Plans the whole configuration offline against a mocked AWS provider (Terraform >= 1.7):
# catches what `terraform validate` cannot see, such as wrong values reaching resources,
# failing preconditions and who gets which secret. Run with `terraform test` or check.sh.

mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_region" {
    defaults = { name = "eu-west-1" }
  }
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
  mock_data "aws_availability_zones" {
    defaults = { names = ["eu-west-1a", "eu-west-1b", "eu-west-1c"] }
  }
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{}" }
  }
  mock_data "aws_secretsmanager_random_password" {
    defaults = { random_password = "MockRedisAuthToken0123456789abcdefghijklmnopqrstuvwxyzABCDEFGH" }
  }

  mock_resource "aws_rds_cluster" {
    defaults = {
      master_user_secret = [{
        secret_arn    = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds-master"
        kms_key_id    = "arn:aws:kms:eu-west-1:123456789012:key/mock"
        secret_status = "active"
      }]
    }
  }
  mock_resource "aws_secretsmanager_secret" {
    defaults = { arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:mock" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/mock" }
  }
  mock_resource "aws_kms_key" {
    defaults = { arn = "arn:aws:kms:eu-west-1:123456789012:key/mock" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:eu-west-1:123456789012:log-group:mock" }
  }
  mock_resource "aws_lambda_function" {
    defaults = { arn = "arn:aws:lambda:eu-west-1:123456789012:function:mock", version = "1" }
  }
  mock_resource "aws_lambda_alias" {
    defaults = {
      arn        = "arn:aws:lambda:eu-west-1:123456789012:function:mock:live"
      invoke_arn = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:mock:live/invocations"
    }
  }
  mock_resource "aws_api_gateway_rest_api" {
    defaults = { execution_arn = "arn:aws:execute-api:eu-west-1:123456789012:mockapi" }
  }
  mock_resource "aws_api_gateway_stage" {
    defaults = {
      arn           = "arn:aws:apigateway:eu-west-1::/restapis/mockapi/stages/v1"
      invoke_url    = "https://mockapi.execute-api.eu-west-1.amazonaws.com/v1"
      execution_arn = "arn:aws:execute-api:eu-west-1:123456789012:mockapi/v1"
    }
  }
  mock_resource "aws_wafv2_web_acl" {
    defaults = { arn = "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/preconf-api/mock" }
  }
  mock_resource "aws_db_proxy_default_target_group" {
    defaults = { name = "default" }
  }
  mock_resource "aws_lb" {
    defaults = {
      arn        = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/mock/1"
      arn_suffix = "app/mock/1"
      dns_name   = "mock-1.eu-west-1.elb.amazonaws.com"
    }
  }
  mock_resource "aws_lb_target_group" {
    defaults = {
      arn        = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/mock/1"
      arn_suffix = "targetgroup/mock/1"
    }
  }
  mock_resource "aws_lb_listener" {
    defaults = { arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/mock/1/2" }
  }
}

variables {
  aws_region           = "eu-west-1"
  function_zip_path    = "tests/fixtures/function.zip"
  feed_image           = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/preconf-feed:1"
  feed_certificate_arn = "arn:aws:acm:eu-west-1:123456789012:certificate/mock"
  feed_domain_name     = "feed.example.org"
  signer_address       = "0x00000000000000000000000000000000000000AA"
  rollups = [
    { chainId = 167000, name = "taiko" },
    { chainId = 10, name = "optimism" },
  ]
}

run "deploys_every_function_behind_its_own_route" {
  command = apply

  assert {
    condition     = keys(aws_lambda_function.api) == keys(local.functions)
    error_message = "Every function in local.functions must get exactly one Lambda."
  }

  assert {
    condition     = alltrue([for name, fn in aws_lambda_function.api : fn.environment[0].variables["QUARKUS_FUNQY_EXPORT"] == name])
    error_message = "Each Lambda must export the function it is named after."
  }

  assert {
    condition     = alltrue([for name, fn in aws_lambda_function.api : fn.publish && fn.snap_start[0].apply_on == "PublishedVersions"])
    error_message = "Routed functions must publish versions restored with SnapStart."
  }

  assert {
    condition     = alltrue([for name, r in aws_api_gateway_resource.function : r.path_part == name])
    error_message = "Each function must be routed at /<name>."
  }

  assert {
    condition     = keys(aws_api_gateway_resource.function_param) == ["rpc"] && aws_api_gateway_resource.function_param["rpc"].path_part == "{chainId}" && aws_api_gateway_method.function["rpc"].resource_id == aws_api_gateway_resource.function_param["rpc"].id
    error_message = "The JSON-RPC endpoint must be POST /rpc/{chainId}, and the only route with a path parameter."
  }

  assert {
    condition     = strcontains(aws_api_gateway_integration.function["rpc"].request_templates["application/json"], "$util.base64Encode($input.body)") && length(aws_api_gateway_integration.function["preconfirm"].request_templates) == 0
    error_message = "The JSON-RPC route must hand its function the chain id and the body as base64; the other routes pass the body through."
  }

  assert {
    condition     = aws_api_gateway_method.function["reconcile"].authorization == "AWS_IAM" && aws_api_gateway_method.function["lane"].authorization == "AWS_IAM" && aws_api_gateway_method.function["preconfirm"].authorization == "NONE"
    error_message = "reconcile and lane must require SigV4; the public functions must not."
  }

  assert {
    condition     = aws_lambda_function.api["lane"].environment[0].variables["PRECONF_BUILDERS_TRUST_EVERY_CALLER"] == "true" && !contains(keys(aws_lambda_function.api["status"].environment[0].variables), "PRECONF_BUILDERS_TRUST_EVERY_CALLER")
    error_message = "Only functions behind IAM auth may trust every caller; lane must, as API Gateway authenticated them."
  }

  assert {
    condition     = strcontains(aws_ecs_task_definition.feed.container_definitions, "PRECONF_DELIVERY_ENABLED")
    error_message = "The feed tasks deliver the lanes to the rollups' nodes: they must get PRECONF_DELIVERY_ENABLED."
  }

  assert {
    condition     = output.feed_url == "wss://feed.example.org/feed"
    error_message = "The feed URL must use wss and the /feed path."
  }
}

run "only_signing_functions_learn_where_the_keys_are" {
  command = plan

  assert {
    condition     = contains(keys(aws_lambda_function.api["preconfirm"].environment[0].variables), "PRECONF_SIGNER_PRIVATE_KEY_SECRET_ARN")
    error_message = "preconfirm signs, so it needs the key secret."
  }

  assert {
    condition = alltrue([
      for name in ["validate", "status", "info", "reconcile", "lane"] :
      !contains(keys(aws_lambda_function.api[name].environment[0].variables), "PRECONF_SIGNER_PRIVATE_KEY_SECRET_ARN")
      && !contains(keys(aws_lambda_function.api[name].environment[0].variables), "PRECONF_SIGNER_PQ_SEED_SECRET_ARN")
      && lookup(aws_lambda_function.api[name].environment[0].variables, "PRECONF_SIGNER_ADDRESS", "") == "0x00000000000000000000000000000000000000aa"
    ])
    error_message = "Functions that do not sign get the public identity, never the key secrets."
  }

  assert {
    condition     = length([for s in data.aws_iam_policy_document.lambda["preconfirm"].statement : s if s.sid == "ReadSignerKeys"]) == 1
    error_message = "The signing role must be allowed to read the keys."
  }

  assert {
    condition = alltrue([
      for name in ["validate", "status", "info", "reconcile", "lane", "migrate"] :
      length([for s in data.aws_iam_policy_document.lambda[name].statement : s if s.sid == "ReadSignerKeys"]) == 0
    ])
    error_message = "No other role may read the signer keys."
  }
}

run "the_redis_token_reaches_the_functions_through_its_secret_only" {
  command = plan

  assert {
    condition = alltrue([
      for fn in concat(values(aws_lambda_function.api), [aws_lambda_function.migrate]) :
      !contains(keys(fn.environment[0].variables), "QUARKUS_REDIS_PASSWORD")
      && fn.environment[0].variables["PRECONF_REDIS_PASSWORD_SECRET_ARN"] == aws_secretsmanager_secret.redis_auth.arn
    ])
    error_message = "No Lambda may carry the Redis token in its environment; each names its secret."
  }

  assert {
    condition = alltrue([
      for fn in concat(values(aws_lambda_function.api), [aws_lambda_function.migrate]) :
      !strcontains(jsonencode(fn.environment[0].variables), "MockRedisAuthToken")
    ])
    error_message = "The Redis token's value appears in a Lambda's environment."
  }

  assert {
    condition = alltrue([
      for name, doc in data.aws_iam_policy_document.lambda :
      length([for s in doc.statement : s if s.sid == "ReadRedisAuthToken"]) == 1
    ])
    error_message = "Every function role must be allowed to read the Redis token's secret."
  }
}

run "migrations_run_in_their_own_lambda" {
  command = plan

  assert {
    condition     = aws_lambda_function.migrate.environment[0].variables["QUARKUS_FLYWAY_MIGRATE_AT_START"] == "true"
    error_message = "The migrate Lambda must run Flyway at start."
  }

  assert {
    condition     = alltrue([for fn in aws_lambda_function.api : fn.environment[0].variables["QUARKUS_FLYWAY_MIGRATE_AT_START"] == "false"])
    error_message = "Routed functions must not migrate."
  }

  assert {
    condition     = !contains(keys(aws_api_gateway_resource.function), "migrate")
    error_message = "The migrate Lambda must not be routed."
  }
}

run "a_post_quantum_public_key_fits_the_environment" {
  command = plan

  variables {
    signer_pq_public_key = "0x${join("", [for i in range(976) : "abcd"])}"
  }

  assert {
    condition     = lookup(aws_lambda_function.api["validate"].environment[0].variables, "PRECONF_SIGNER_PQ_PUBLIC_KEY_SECRET_ARN", "") != ""
    error_message = "Verifying functions must learn where the ML-DSA public key is."
  }
}

run "rejects_an_environment_beyond_the_lambda_limit" {
  command = plan

  variables {
    lambda_extra_env = { PADDING = join("", [for i in range(1000) : "abcd"]) }
  }

  expect_failures = [aws_lambda_function.api]
}

run "rejects_overrides_for_unknown_functions" {
  command = plan

  variables {
    lambda_memory_mb = { preconfrim = 4096 }
  }

  expect_failures = [aws_lambda_function.api]
}

run "rejects_a_single_availability_zone" {
  command = plan

  variables {
    az_count = 1
  }

  expect_failures = [var.az_count]
}

run "limits_each_client_address_with_our_waf_acl_by_default" {
  command = apply

  variables {
    api_waf_rate_limit    = 600
    api_waf_rate_window_s = 120
  }

  assert {
    condition     = length(aws_wafv2_web_acl.api) == 1 && aws_wafv2_web_acl.api[0].scope == "REGIONAL"
    error_message = "Without an ACL of the operator's, the configuration must create its own regional web ACL."
  }

  assert {
    condition     = aws_wafv2_web_acl_association.api.web_acl_arn == aws_wafv2_web_acl.api[0].arn && aws_wafv2_web_acl_association.api.resource_arn == aws_api_gateway_stage.api.arn
    error_message = "Our web ACL must be associated with the API stage."
  }

  assert {
    condition = alltrue([
      for r in aws_wafv2_web_acl.api[0].rule :
      r.statement[0].rate_based_statement[0].aggregate_key_type == "IP"
      && r.statement[0].rate_based_statement[0].limit == 600
      && r.statement[0].rate_based_statement[0].evaluation_window_sec == 120
    ]) && length(aws_wafv2_web_acl.api[0].rule) == 1
    error_message = "The one rule must be rate-based per client address, with api_waf_rate_limit per api_waf_rate_window_s."
  }

  assert {
    condition = alltrue([
      for r in aws_wafv2_web_acl.api[0].rule :
      r.action[0].block[0].custom_response[0].response_code == 429
      && one(r.action[0].block[0].custom_response[0].response_header).name == "Retry-After"
      && one(r.action[0].block[0].custom_response[0].response_header).value == "120"
      && r.visibility_config[0].cloudwatch_metrics_enabled
    ]) && aws_wafv2_web_acl.api[0].visibility_config[0].cloudwatch_metrics_enabled
    error_message = "Over the limit WAF must answer 429 with Retry-After (the window's seconds), with CloudWatch metrics on."
  }

  assert {
    condition = alltrue([
      for b in aws_wafv2_web_acl.api[0].custom_response_body :
      b.content_type == "APPLICATION_JSON"
      && jsondecode(b.content).code == "SECURITY_VALIDATION_FAILED"
      && jsondecode(b.content).reason == "RATE_LIMITED"
      && strcontains(jsondecode(b.content).message, "600 requests in 120 seconds")
    ])
    error_message = "The 429 body must be the engine's coded RATE_LIMITED error, naming the limit and its window."
  }
}

run "an_operators_waf_acl_replaces_ours" {
  command = apply

  variables {
    api_waf_web_acl_arn = "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/theirs/abc"
  }

  assert {
    condition     = length(aws_wafv2_web_acl.api) == 0
    error_message = "With the operator's ACL, the configuration must create none of its own."
  }

  assert {
    condition     = aws_wafv2_web_acl_association.api.web_acl_arn == "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/theirs/abc" && aws_wafv2_web_acl_association.api.resource_arn == aws_api_gateway_stage.api.arn
    error_message = "The operator's ACL must be associated with the API stage."
  }
}

run "rejects_a_waf_rate_limit_below_wafs_minimum" {
  command = plan

  variables {
    api_waf_rate_limit = 9
  }

  expect_failures = [var.api_waf_rate_limit]
}

run "rejects_a_waf_window_waf_does_not_offer" {
  command = plan

  variables {
    api_waf_rate_window_s = 30
  }

  expect_failures = [var.api_waf_rate_window_s]
}

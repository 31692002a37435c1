# The functions over HTTPS: POST /<name> with a JSON body, one route per function.
#
# Why a REST API with non-proxy ("AWS") integrations and not an HTTP API: the functions run
# Funqy's Lambda binding (FunqyStreamHandler), which reads the Lambda event as the
# function's input and writes its output as the Lambda result. An HTTP API (or a proxy
# integration) would hand the function API Gateway's request envelope instead of the body.
# A non-proxy integration passes the request body through untouched as the event and
# returns the function's result as the response body, so the same JSON goes in and comes
# out over API Gateway as in a direct invocation, with no change to the code.
#
# A function with a path_param (rpc: POST /rpc/{chainId}) gets a request template instead: the
# event is {"<path_param>": "<the path value>", "body": "<the request body, base64>", "headers":
# {"x-bolt-signature": ".."}}, so that the function reads the path and also sees a body that is not
# JSON (JSON-RPC answers it -32700), and Bolt's signature header (empty when absent).
#
# Expected rejections are values in a 200 response (spec section 5). An exception thrown by
# a function (a bug, a backend down) becomes a 500 with the request id and no stack trace.

resource "aws_api_gateway_rest_api" "api" {
  name        = "${var.name}-api"
  description = "Preconfirmation engine functions"

  endpoint_configuration {
    types = ["REGIONAL"]
  }
}

resource "aws_api_gateway_resource" "function" {
  for_each = local.functions

  rest_api_id = aws_api_gateway_rest_api.api.id
  parent_id   = aws_api_gateway_rest_api.api.root_resource_id
  path_part   = each.key
}

resource "aws_api_gateway_resource" "function_param" {
  for_each = { for name, f in local.functions : name => f if f.path_param != null }

  rest_api_id = aws_api_gateway_rest_api.api.id
  parent_id   = aws_api_gateway_resource.function[each.key].id
  path_part   = "{${each.value.path_param}}"
}

locals {
  # Where each function's POST route lives: /<name>, or /<name>/{param}.
  route_resource = {
    for name, f in local.functions : name => (
      f.path_param == null ? aws_api_gateway_resource.function[name].id : aws_api_gateway_resource.function_param[name].id
    )
  }
}

resource "aws_api_gateway_method" "function" {
  for_each = local.functions

  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = local.route_resource[each.key]
  http_method   = "POST"
  authorization = each.value.public ? "NONE" : "AWS_IAM"
}

resource "aws_api_gateway_integration" "function" {
  for_each = local.functions

  rest_api_id             = aws_api_gateway_rest_api.api.id
  resource_id             = local.route_resource[each.key]
  http_method             = aws_api_gateway_method.function[each.key].http_method
  type                    = "AWS"
  integration_http_method = "POST"
  uri                     = aws_lambda_alias.live[each.key].invoke_arn
  passthrough_behavior    = each.value.path_param == null ? "WHEN_NO_MATCH" : "WHEN_NO_TEMPLATES"
  timeout_milliseconds    = 29000

  request_templates = each.value.path_param == null ? {} : {
    "application/json" = "{\"${each.value.path_param}\": \"$util.escapeJavaScript($input.params('${each.value.path_param}'))\", \"body\": \"$util.base64Encode($input.body)\", \"headers\": {\"x-bolt-signature\": \"$util.escapeJavaScript($input.params().header.get('X-Bolt-Signature'))\"}}"
  }
}

resource "aws_api_gateway_method_response" "ok" {
  for_each = local.functions

  rest_api_id     = aws_api_gateway_rest_api.api.id
  resource_id     = local.route_resource[each.key]
  http_method     = aws_api_gateway_method.function[each.key].http_method
  status_code     = "200"
  response_models = { "application/json" = "Empty" }
}

resource "aws_api_gateway_method_response" "error" {
  for_each = local.functions

  rest_api_id     = aws_api_gateway_rest_api.api.id
  resource_id     = local.route_resource[each.key]
  http_method     = aws_api_gateway_method.function[each.key].http_method
  status_code     = "500"
  response_models = { "application/json" = "Empty" }
}

# The default response: the function's result, as it returned it.
resource "aws_api_gateway_integration_response" "ok" {
  for_each = local.functions

  rest_api_id = aws_api_gateway_rest_api.api.id
  resource_id = local.route_resource[each.key]
  http_method = aws_api_gateway_method.function[each.key].http_method
  status_code = aws_api_gateway_method_response.ok[each.key].status_code

  depends_on = [aws_api_gateway_integration.function]
}

# A Lambda error always carries an errorMessage, which the pattern matches. The template
# replaces the error (and its stack trace) with the request id, to look up in the logs.
resource "aws_api_gateway_integration_response" "error" {
  for_each = local.functions

  rest_api_id       = aws_api_gateway_rest_api.api.id
  resource_id       = local.route_resource[each.key]
  http_method       = aws_api_gateway_method.function[each.key].http_method
  status_code       = aws_api_gateway_method_response.error[each.key].status_code
  selection_pattern = ".+"

  response_templates = {
    "application/json" = jsonencode({
      message   = "The ${each.key} function failed; the request id identifies it in the logs."
      requestId = "$context.requestId"
    })
  }

  depends_on = [aws_api_gateway_integration.function]
}

resource "aws_lambda_permission" "api" {
  for_each = local.functions

  statement_id  = "AllowApiGatewayInvoke"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.api[each.key].function_name
  qualifier     = aws_lambda_alias.live[each.key].name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_api_gateway_rest_api.api.execution_arn}/*/POST/${each.key}${each.value.path_param == null ? "" : "/*"}"
}

resource "aws_api_gateway_deployment" "api" {
  rest_api_id = aws_api_gateway_rest_api.api.id

  # Redeploy when a route changes. New function versions need no redeployment: the
  # integrations point at the `live` aliases.
  triggers = {
    routes = sha1(jsonencode([
      aws_api_gateway_resource.function,
      aws_api_gateway_resource.function_param,
      aws_api_gateway_method.function,
      aws_api_gateway_integration.function,
      aws_api_gateway_method_response.ok,
      aws_api_gateway_method_response.error,
      aws_api_gateway_integration_response.ok,
      aws_api_gateway_integration_response.error,
    ]))
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_cloudwatch_log_group" "api_access" {
  name              = "/aws/apigateway/${var.name}-api/access"
  retention_in_days = var.log_retention_days
}

resource "aws_api_gateway_stage" "api" {
  rest_api_id          = aws_api_gateway_rest_api.api.id
  deployment_id        = aws_api_gateway_deployment.api.id
  stage_name           = var.api_stage_name
  xray_tracing_enabled = var.xray_tracing

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.api_access.arn
    format = jsonencode({
      requestId          = "$context.requestId"
      ip                 = "$context.identity.sourceIp"
      caller             = "$context.identity.caller"
      requestTime        = "$context.requestTime"
      httpMethod         = "$context.httpMethod"
      resourcePath       = "$context.resourcePath"
      status             = "$context.status"
      responseLength     = "$context.responseLength"
      responseLatency    = "$context.responseLatency"
      integrationLatency = "$context.integration.latency"
      integrationStatus  = "$context.integration.status"
      integrationError   = "$context.integrationErrorMessage"
      error              = "$context.error.message"
    })
  }

  depends_on = [aws_api_gateway_account.this]
}

resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  stage_name  = aws_api_gateway_stage.api.stage_name
  method_path = "*/*"

  settings {
    metrics_enabled        = true
    logging_level          = "OFF"
    throttling_rate_limit  = var.api_throttling_rate_limit
    throttling_burst_limit = var.api_throttling_burst_limit
  }
}

# REST API logging to CloudWatch needs a role set once per account and region. Turn
# manage_api_gateway_account off when another stack already manages it.
data "aws_iam_policy_document" "api_gateway_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["apigateway.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "api_gateway_logs" {
  count = var.manage_api_gateway_account ? 1 : 0

  name               = "${var.name}-apigateway-logs"
  assume_role_policy = data.aws_iam_policy_document.api_gateway_assume.json
}

resource "aws_iam_role_policy_attachment" "api_gateway_logs" {
  count = var.manage_api_gateway_account ? 1 : 0

  role       = aws_iam_role.api_gateway_logs[0].name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"
}

resource "aws_api_gateway_account" "this" {
  count = var.manage_api_gateway_account ? 1 : 0

  cloudwatch_role_arn = aws_iam_role.api_gateway_logs[0].arn

  depends_on = [aws_iam_role_policy_attachment.api_gateway_logs]
}

# Per-client-address limit. The functions cannot count clients on AWS: the non-proxy
# integration hands them the request body alone, with no address or API key. WAF sees the
# caller's address, so a rate-based rule counts there instead: over api_waf_rate_limit requests
# in api_waf_rate_window_s, an address is answered 429 with the engine's coded error shape
# until its rate falls back under the limit. WAF evaluates the window itself (it recounts the
# last window about every 10 seconds, and holds near the limit, not exactly), not the engine's
# fixed windows. The per-sender limit stays the
# engine's, counted in Redis as anywhere else. An operator's own ACL (api_waf_web_acl_arn)
# replaces this one.
locals {
  api_waf_rate_limited_body = jsonencode({
    code    = "SECURITY_VALIDATION_FAILED"
    reason  = "RATE_LIMITED"
    message = "this client address sent more than ${var.api_waf_rate_limit} requests in ${var.api_waf_rate_window_s} seconds (api_waf_rate_limit per api_waf_rate_window_s); retry after ${var.api_waf_rate_window_s} seconds"
  })
}

resource "aws_wafv2_web_acl" "api" {
  count = var.api_waf_web_acl_arn == null ? 1 : 0

  name        = "${var.name}-api"
  description = "Per-client-address rate limit of the preconfirmation API"
  scope       = "REGIONAL"

  default_action {
    allow {}
  }

  custom_response_body {
    key          = "rate-limited"
    content_type = "APPLICATION_JSON"
    content      = local.api_waf_rate_limited_body
  }

  rule {
    name     = "per-client-address"
    priority = 0

    action {
      block {
        custom_response {
          response_code            = 429
          custom_response_body_key = "rate-limited"

          response_header {
            name  = "Retry-After"
            value = tostring(var.api_waf_rate_window_s)
          }
        }
      }
    }

    statement {
      rate_based_statement {
        aggregate_key_type    = "IP"
        limit                 = var.api_waf_rate_limit
        evaluation_window_sec = var.api_waf_rate_window_s
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${var.name}-api-per-client-address"
      sampled_requests_enabled   = true
    }
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = "${var.name}-api"
    sampled_requests_enabled   = true
  }
}

resource "aws_wafv2_web_acl_association" "api" {
  resource_arn = aws_api_gateway_stage.api.arn
  web_acl_arn  = var.api_waf_web_acl_arn == null ? aws_wafv2_web_acl.api[0].arn : var.api_waf_web_acl_arn
}

# The association once existed only for an operator's ACL (count 0 or 1); keep that one in place.
moved {
  from = aws_wafv2_web_acl_association.api[0]
  to   = aws_wafv2_web_acl_association.api
}

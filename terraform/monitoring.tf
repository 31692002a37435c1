# Alarms. Each one notifies var.alarm_sns_topic_arn when it is set (on alarm and on
# recovery); without it the alarms still show state in the console.

locals {
  alarm_actions = var.alarm_sns_topic_arn == null ? [] : [var.alarm_sns_topic_arn]

  # The engine logs this reason when Redis or PostgreSQL cannot be reached (spec section 6).
  backend_unavailable_pattern = "\"BACKEND_UNAVAILABLE\""
  metric_namespace            = "Preconf/${var.name}"

  # Every log group an application writes to, for the backend-unavailable filter.
  application_log_groups = merge(
    { for name, group in aws_cloudwatch_log_group.lambda : name => group.name },
    { feed = aws_cloudwatch_log_group.feed.name },
  )
}

# --- Lambdas ---

resource "aws_cloudwatch_metric_alarm" "lambda_errors" {
  for_each = local.functions

  alarm_name        = "${var.name}-${each.key}-errors"
  alarm_description = "The ${each.key} function threw (a bug or a broken backend), rather than returning a rejection."

  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  dimensions          = { FunctionName = aws_lambda_function.api[each.key].function_name }
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 5
  datapoints_to_alarm = 2
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = var.lambda_error_alarm_threshold
  treat_missing_data  = "notBreaching"

  alarm_actions = local.alarm_actions
  ok_actions    = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "lambda_p99_duration" {
  for_each = local.functions

  alarm_name        = "${var.name}-${each.key}-p99-duration"
  alarm_description = "p99 duration of ${each.key} is above its threshold."

  namespace           = "AWS/Lambda"
  metric_name         = "Duration"
  dimensions          = { FunctionName = aws_lambda_function.api[each.key].function_name }
  extended_statistic  = "p99"
  period              = 60
  evaluation_periods  = 5
  datapoints_to_alarm = 3
  comparison_operator = "GreaterThanThreshold"
  threshold           = lookup(var.lambda_p99_alarm_ms, each.key, each.value.p99_ms)
  treat_missing_data  = "notBreaching"

  alarm_actions = local.alarm_actions
  ok_actions    = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "migrate_errors" {
  alarm_name        = "${var.name}-migrate-errors"
  alarm_description = "A schema migration failed."

  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  dimensions          = { FunctionName = aws_lambda_function.migrate.function_name }
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = 1
  treat_missing_data  = "notBreaching"

  alarm_actions = local.alarm_actions
  ok_actions    = local.alarm_actions
}

# --- backends ---

resource "aws_cloudwatch_log_metric_filter" "backend_unavailable" {
  for_each = local.application_log_groups

  name           = "${var.name}-${each.key}-backend-unavailable"
  log_group_name = each.value
  pattern        = local.backend_unavailable_pattern

  # Every filter feeds the same metric, so one alarm covers all of them.
  metric_transformation {
    name          = "BackendUnavailable"
    namespace     = local.metric_namespace
    value         = "1"
    default_value = "0"
  }
}

resource "aws_cloudwatch_metric_alarm" "backend_unavailable" {
  alarm_name        = "${var.name}-backend-unavailable"
  alarm_description = "Log lines with BACKEND_UNAVAILABLE: Redis or PostgreSQL could not be reached."

  namespace           = local.metric_namespace
  metric_name         = "BackendUnavailable"
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 3
  datapoints_to_alarm = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = var.backend_unavailable_alarm_threshold
  treat_missing_data  = "notBreaching"

  alarm_actions = local.alarm_actions
  ok_actions    = local.alarm_actions

  depends_on = [aws_cloudwatch_log_metric_filter.backend_unavailable]
}

# --- API ---

resource "aws_cloudwatch_metric_alarm" "api_5xx" {
  alarm_name        = "${var.name}-api-5xx"
  alarm_description = "The API answered with 5xx: a function threw, timed out or was throttled."

  namespace   = "AWS/ApiGateway"
  metric_name = "5XXError"
  dimensions = {
    ApiName = aws_api_gateway_rest_api.api.name
    Stage   = aws_api_gateway_stage.api.stage_name
  }
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 5
  datapoints_to_alarm = 2
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = var.api_5xx_alarm_threshold
  treat_missing_data  = "notBreaching"

  alarm_actions = local.alarm_actions
  ok_actions    = local.alarm_actions
}

# --- feed ---

resource "aws_cloudwatch_metric_alarm" "feed_5xx" {
  alarm_name        = "${var.name}-feed-5xx"
  alarm_description = "The feed load balancer or its tasks answered with 5xx."

  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = var.feed_5xx_alarm_threshold
  evaluation_periods  = 5
  datapoints_to_alarm = 2
  treat_missing_data  = "notBreaching"

  metric_query {
    id          = "errors"
    expression  = "FILL(elb, 0) + FILL(target, 0)"
    label       = "5xx from the ALB and from feed tasks"
    return_data = true
  }

  metric_query {
    id = "elb"

    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "HTTPCode_ELB_5XX_Count"
      dimensions  = { LoadBalancer = aws_lb.feed.arn_suffix }
      stat        = "Sum"
      period      = 60
    }
  }

  metric_query {
    id = "target"

    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "HTTPCode_Target_5XX_Count"
      dimensions  = { LoadBalancer = aws_lb.feed.arn_suffix }
      stat        = "Sum"
      period      = 60
    }
  }

  alarm_actions = local.alarm_actions
  ok_actions    = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "feed_unhealthy_hosts" {
  alarm_name        = "${var.name}-feed-unhealthy-hosts"
  alarm_description = "A feed task fails its readiness check (/q/health/ready)."

  namespace   = "AWS/ApplicationELB"
  metric_name = "UnHealthyHostCount"
  dimensions = {
    LoadBalancer = aws_lb.feed.arn_suffix
    TargetGroup  = aws_lb_target_group.feed.arn_suffix
  }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 3
  datapoints_to_alarm = 2
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = 1
  treat_missing_data  = "notBreaching"

  alarm_actions = local.alarm_actions
  ok_actions    = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "feed_no_healthy_hosts" {
  alarm_name        = "${var.name}-feed-no-healthy-hosts"
  alarm_description = "No feed task is healthy: subscribers cannot connect."

  namespace   = "AWS/ApplicationELB"
  metric_name = "HealthyHostCount"
  dimensions = {
    LoadBalancer = aws_lb.feed.arn_suffix
    TargetGroup  = aws_lb_target_group.feed.arn_suffix
  }
  statistic           = "Minimum"
  period              = 60
  evaluation_periods  = 2
  comparison_operator = "LessThanThreshold"
  threshold           = 1
  treat_missing_data  = "breaching"

  alarm_actions = local.alarm_actions
  ok_actions    = local.alarm_actions
}

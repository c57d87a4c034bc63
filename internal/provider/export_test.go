package provider

import "time"

// SetNowForTest replaces the clock of the plan-time date rules (renewal windows, expiry) and
// returns the function that restores it.
func SetNowForTest(f func() time.Time) func() {
	old := now
	now = f
	return func() { now = old }
}

// SetOrderPollIntervalForTest makes alicloudcas_certificate_order_validation poll every d
// (instead of from 5 s doubling to 60 s) and returns the function that restores the intervals.
func SetOrderPollIntervalForTest(d time.Duration) func() {
	oldMin, oldMax := orderPollInterval, orderPollMaxInterval
	orderPollInterval, orderPollMaxInterval = d, d
	return func() { orderPollInterval, orderPollMaxInterval = oldMin, oldMax }
}

// SetJobPollIntervalForTest shortens the deployment jobs' first poll interval and returns the
// function that restores it.
func SetJobPollIntervalForTest(d time.Duration) func() {
	old := jobPollInterval
	jobPollInterval = d
	return func() { jobPollInterval = old }
}

// Package nodeclient drives the CAS emulator with a second, independent client: Alibaba Cloud's
// official generated Node.js SDK (@alicloud/cas20200407 on @alicloud/openapi-core, pinned in
// package-lock.json). Its test installs the SDK with `npm ci`, starts an in-process emulator and
// runs roundtrip.mjs once per signature style the real service accepts (ACS3-HMAC-SHA256, the
// SDK's default, and the RPC style HMAC-SHA1), then checks in the emulator's request log that
// the requests really were signed that way. It needs Node.js (20 or newer recommended) and npm
// on PATH, and the npm registry the first time.
package nodeclient

// A round trip of the CAS emulator through Alibaba Cloud's official generated Node.js SDK,
// @alicloud/cas20200407 on @alicloud/openapi-core, in one of the two signature styles the real
// service accepts. nodeclient_test.go runs it once per style; by hand:
//
//	npm ci --ignore-scripts && CASEMU_ENDPOINT=127.0.0.1:8787 CASEMU_STYLE=rpc ... node roundtrip.mjs
//
// Environment:
//
//	CASEMU_ENDPOINT          host:port of the emulator (plain HTTP)
//	CASEMU_STYLE             acs3 (the SDK's default, ACS3-HMAC-SHA256) or rpc (HMAC-SHA1,
//	                         selected with the openapi Config's signatureAlgorithm: 'v2')
//	CASEMU_ACCESS_KEY_ID, CASEMU_ACCESS_KEY_SECRET
//	                         a key pair of the emulated account
//	CASEMU_STS_ACCESS_KEY_ID, CASEMU_STS_ACCESS_KEY_SECRET, CASEMU_STS_SECURITY_TOKEN
//	                         an STS session of the same account (AssumeRole)
//	CASEMU_CERT_FILE, CASEMU_KEY_FILE
//	                         a PEM certificate and its private key
//	CASEMU_OTHER_KEY_FILE    a PEM private key that does not belong to the certificate
//	CASEMU_NAME              the certificate name to upload (unique in the account)
//	CASEMU_REGION            region (default cn-hangzhou)
//	CASEMU_CLOUD_RESOURCE_ID an ALB cloud resource of the account (listener port 443, domain
//	                         nodeclient.example.com), expected in ListCloudResources
//	CASEMU_JOB_ID            a deployment job of the account (user, editing, named nodeclient-job),
//	                         expected in ListDeploymentJob
//
// It prints one line per step ("ok ..." or "FAIL ...") and exits 1 at the first mismatch.

import { createRequire } from 'node:module';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';

// tag prefixes every line with the style under test.
const tag = process.env.CASEMU_STYLE || '?';

const require = createRequire(import.meta.url);
const cas = require('@alicloud/cas20200407');
const { $OpenApiUtil } = require('@alicloud/openapi-core');
const Client = cas.default;

function env(name, fallback) {
  const v = process.env[name];
  if (v === undefined || v === '') {
    if (fallback !== undefined) return fallback;
    fail('setup', `environment variable ${name} is not set`);
  }
  return v;
}

const style = env('CASEMU_STYLE');
if (style !== 'acs3' && style !== 'rpc') {
  fail('setup', `CASEMU_STYLE must be acs3 or rpc, not ${JSON.stringify(style)}`);
}
const endpoint = env('CASEMU_ENDPOINT');
const region = env('CASEMU_REGION', 'cn-hangzhou');
const name = env('CASEMU_NAME');
const certPEM = readFileSync(env('CASEMU_CERT_FILE'), 'utf8');
const keyPEM = readFileSync(env('CASEMU_KEY_FILE'), 'utf8');
const otherKeyPEM = readFileSync(env('CASEMU_OTHER_KEY_FILE'), 'utf8');
const x509 = new X509Certificate(certPEM);

// newClient is the SDK client of the emulator with a credential, in the style under test.
function newClient({ id, secret, token }) {
  const config = new $OpenApiUtil.Config({
    accessKeyId: id,
    accessKeySecret: secret,
    securityToken: token,
    endpoint, // host:port: the SDK then skips its endpoint map
    protocol: 'HTTP',
    regionId: region,
    connectTimeout: 5000,
    readTimeout: 15000,
  });
  if (style === 'rpc') {
    // openapi-core's callApi: signatureAlgorithm 'v2' sends an RPC-style action through
    // doRPCRequest (SignatureMethod=HMAC-SHA1, SignatureVersion=1.0, Signature in the query);
    // anything else goes through doRequest, which signs with ACS3-HMAC-SHA256.
    config.signatureAlgorithm = 'v2';
  }
  return new Client(config);
}

function ok(step, detail) {
  console.log(`ok   ${tag} ${step}${detail ? ': ' + detail : ''}`);
}

function fail(step, detail) {
  console.log(`FAIL ${tag} ${step}: ${detail}`);
  process.exit(1);
}

function check(step, cond, detail) {
  if (!cond) fail(step, detail);
}

// describeError is what the SDK surfaced: its error class, code and HTTP status.
function describeError(e) {
  const status = e?.statusCode ?? e?.data?.statusCode;
  return `${e?.name ?? typeof e} code=${e?.code} status=${status} message=${e?.message}`;
}

// call runs one SDK call that must succeed and returns the response body.
async function call(step, fn) {
  let resp;
  try {
    resp = await fn();
  } catch (e) {
    fail(step, `unexpected error: ${describeError(e)}`);
  }
  check(step, resp && resp.statusCode === 200, `HTTP status ${resp?.statusCode}, want 200`);
  check(step, resp.body && typeof resp.body.requestId === 'string' && resp.body.requestId !== '',
    `no RequestId in ${JSON.stringify(resp.body)}`);
  return resp.body;
}

// callError runs one SDK call that must fail with the code and HTTP status, and returns the error.
async function callError(step, fn, code, status) {
  let resp;
  try {
    resp = await fn();
  } catch (e) {
    const got = e?.statusCode ?? e?.data?.statusCode;
    check(step, e?.code === code && got === status,
      `error ${describeError(e)}, want code=${code} status=${status}`);
    check(step, typeof e.data?.RequestId === 'string' && e.data.RequestId !== '',
      `the error has no RequestId: ${JSON.stringify(e.data)}`);
    ok(step, `${e.name} code=${e.code} status=${got}`);
    return e;
  }
  fail(step, `succeeded (${JSON.stringify(resp?.body)}), want error ${code} (HTTP ${status})`);
}

const sameText = (a, b) => String(a).trim().replace(/\r\n/g, '\n') === String(b).trim().replace(/\r\n/g, '\n');
const hexNoZeros = (s) => String(s).toLowerCase().replace(/[^0-9a-f]/g, '').replace(/^0+/, '');
const isNumber = (v) => typeof v === 'number' && Number.isFinite(v);
const datePattern = /^\d{4}-\d{2}-\d{2}$/;

async function uploadAndRead(client, who, certName, tags) {
  let step = `${who} UploadUserCertificate`;
  const up = await call(step, () => client.uploadUserCertificate(new cas.UploadUserCertificateRequest({
    name: certName, cert: certPEM, key: keyPEM,
    tags: tags?.map(([key, value]) => new cas.UploadUserCertificateRequestTags({ key, value })),
  })));
  check(step, isNumber(up.certId) && up.certId > 0, `CertId = ${JSON.stringify(up.certId)}`);
  check(step, /^cas-upload-[a-z0-9]+$/.test(up.resourceId ?? ''), `ResourceId = ${JSON.stringify(up.resourceId)}`);
  ok(step, `CertId=${up.certId} ResourceId=${up.resourceId}`);
  const certId = up.certId;

  step = `${who} GetUserCertificateDetail`;
  const d = await call(step, () => client.getUserCertificateDetail(
    new cas.GetUserCertificateDetailRequest({ certId })));
  check(step, d.id === certId, `Id = ${d.id}, want ${certId}`);
  check(step, d.name === certName, `Name = ${JSON.stringify(d.name)}, want ${JSON.stringify(certName)}`);
  check(step, sameText(d.cert, certPEM), `Cert is not the uploaded certificate: ${JSON.stringify(d.cert)}`);
  check(step, sameText(d.key, keyPEM), 'Key is not the uploaded key');
  check(step, d.certIdentifier === `${certId}-${region}`, `CertIdentifier = ${JSON.stringify(d.certIdentifier)}`);
  const fp = x509.fingerprint.replace(/:/g, '').toUpperCase();
  check(step, d.fingerprint === fp, `Fingerprint = ${d.fingerprint}, want ${fp}`);
  check(step, hexNoZeros(d.serialNo) === hexNoZeros(x509.serialNumber), `SerialNo = ${d.serialNo}, want ${x509.serialNumber}`);
  const cn = /CN=([^\n,]+)/.exec(x509.subject)?.[1];
  check(step, d.common === cn, `Common = ${JSON.stringify(d.common)}, want ${JSON.stringify(cn)}`);
  check(step, typeof d.sans === 'string' && d.sans.split(',').includes(cn), `Sans = ${JSON.stringify(d.sans)}`);
  check(step, d.expired === false, `Expired = ${JSON.stringify(d.expired)}`);
  check(step, d.buyInAliyun === false, `BuyInAliyun = ${JSON.stringify(d.buyInAliyun)}`);
  check(step, datePattern.test(d.startDate ?? '') && datePattern.test(d.endDate ?? ''),
    `StartDate/EndDate = ${d.startDate}/${d.endDate}`);
  check(step, isNumber(d.notBefore) && Math.abs(d.notBefore - Date.parse(x509.validFrom)) < 1000 &&
    isNumber(d.notAfter) && Math.abs(d.notAfter - Date.parse(x509.validTo)) < 1000,
    `NotBefore/NotAfter = ${d.notBefore}/${d.notAfter}, want ms of ${x509.validFrom}/${x509.validTo}`);
  check(step, d.algorithm === 'ECC' || d.algorithm === 'RSA', `Algorithm = ${JSON.stringify(d.algorithm)}`);
  check(step, Array.isArray(d.certChain) && d.certChain.length >= 1 && d.certChain[0].commonName === cn,
    `CertChain = ${JSON.stringify(d.certChain)}`);
  ok(step, `Name=${d.name} Common=${d.common} CertIdentifier=${d.certIdentifier}`);

  step = `${who} GetUserCertificateDetail CertFilter=true`;
  const f = await call(step, () => client.getUserCertificateDetail(
    new cas.GetUserCertificateDetailRequest({ certId, certFilter: true })));
  check(step, f.id === certId && f.cert === undefined && f.key === undefined,
    `Id=${f.id} Cert=${f.cert === undefined ? 'absent' : 'present'} Key=${f.key === undefined ? 'absent' : 'present'}, want both absent`);
  ok(step, 'Cert and Key omitted');
  return certId;
}

async function findByName(client, step, certName) {
  const l = await call(step, () => client.listUserCertificateOrder(
    new cas.ListUserCertificateOrderRequest({ orderType: 'UPLOAD', keyword: certName, currentPage: 1, showSize: 50 })));
  check(step, isNumber(l.totalCount), `TotalCount = ${JSON.stringify(l.totalCount)}`);
  const list = l.certificateOrderList ?? [];
  check(step, Array.isArray(list), `CertificateOrderList = ${JSON.stringify(l.certificateOrderList)}`);
  return { total: l.totalCount, found: list.filter((o) => o.name === certName) };
}

async function main() {
  const ak = newClient({ id: env('CASEMU_ACCESS_KEY_ID'), secret: env('CASEMU_ACCESS_KEY_SECRET') });

  // The round trip with the key pair.
  // The name and the tag carry characters that the two encodings (the SDK's encodeURIComponent
  // plus !'()* and the canonical RFC 3986) must agree on; nodeclient_test.go checks the tag
  // arrived as Tags.1.Key/Tags.1.Value.
  const certId = await uploadAndRead(ak, 'ak', name, [['env', "node client ü*~(x)!'"]]);

  let step = 'ak ListUserCertificateOrder UPLOAD Keyword=name';
  const { total, found } = await findByName(ak, step, name);
  check(step, found.length === 1, `found ${found.length} entries named ${name} (TotalCount ${total})`);
  const o = found[0];
  check(step, o.certificateId === certId, `CertificateId = ${o.certificateId}, want ${certId}`);
  check(step, o.upload === true, `Upload = ${JSON.stringify(o.upload)}`);
  check(step, o.expired === false, `Expired = ${JSON.stringify(o.expired)}`);
  check(step, o.fingerprint === x509.fingerprint.replace(/:/g, ''), `Fingerprint = ${o.fingerprint}`);
  ok(step, `CertificateId=${o.certificateId} TotalCount=${total}`);

  step = 'ak DeleteUserCertificate';
  await call(step, () => ak.deleteUserCertificate(new cas.DeleteUserCertificateRequest({ certId })));
  ok(step, `CertId=${certId}`);

  await callError('ak GetUserCertificateDetail after delete',
    () => ak.getUserCertificateDetail(new cas.GetUserCertificateDetailRequest({ certId })), 'NotFound', 404);

  step = 'ak ListUserCertificateOrder after delete';
  const after = await findByName(ak, step, name);
  check(step, after.found.length === 0, `still lists ${name}`);
  ok(step, 'gone');

  // Negative steps.
  const wrong = newClient({ id: env('CASEMU_ACCESS_KEY_ID'), secret: env('CASEMU_ACCESS_KEY_SECRET') + 'x' });
  await callError('wrong secret ListUserCertificateOrder',
    () => wrong.listUserCertificateOrder(new cas.ListUserCertificateOrderRequest({ orderType: 'UPLOAD' })),
    'SignatureDoesNotMatch', 400);

  await callError('ak UploadUserCertificate key not matching the certificate',
    () => ak.uploadUserCertificate(new cas.UploadUserCertificateRequest({ name: `${name}-mismatch`, cert: certPEM, key: otherKeyPEM })),
    'InvalidParameter', 400);
  step = 'ak ListUserCertificateOrder after refused upload';
  const refused = await findByName(ak, step, `${name}-mismatch`);
  check(step, refused.found.length === 0, 'the refused upload was stored');
  ok(step, 'nothing stored');

  // The same calls with an STS session (AccessKeyId STS.*, SecurityToken).
  const sts = newClient({
    id: env('CASEMU_STS_ACCESS_KEY_ID'),
    secret: env('CASEMU_STS_ACCESS_KEY_SECRET'),
    token: env('CASEMU_STS_SECURITY_TOKEN'),
  });
  const stsCertId = await uploadAndRead(sts, 'sts', `${name}-sts`);
  step = 'sts ListUserCertificateOrder UPLOAD Keyword=name';
  const stsFound = await findByName(sts, step, `${name}-sts`);
  check(step, stsFound.found.length === 1 && stsFound.found[0].certificateId === stsCertId,
    `found ${JSON.stringify(stsFound.found)}`);
  ok(step, `CertificateId=${stsCertId}`);
  step = 'sts DeleteUserCertificate';
  await call(step, () => sts.deleteUserCertificate(new cas.DeleteUserCertificateRequest({ certId: stsCertId })));
  ok(step, `CertId=${stsCertId}`);

  // Deployment jobs and cloud resources (cas-models.md: paging fields and a Data list).
  step = 'ak ListCloudResources';
  const res = await call(step, () => ak.listCloudResources(new cas.ListCloudResourcesRequest({ currentPage: 1, showSize: 20 })));
  checkPage(step, res);
  const resourceId = Number(env('CASEMU_CLOUD_RESOURCE_ID'));
  const r = (res.data ?? []).find((x) => x.id === resourceId);
  check(step, r !== undefined, `resource ${resourceId} not in Data ${JSON.stringify(res.data)}`);
  check(step, r.cloudProduct === 'ALB' && r.domain === 'nodeclient.example.com' && r.regionId === region,
    `resource ${JSON.stringify(r)}: want ALB, nodeclient.example.com, ${region}`);
  check(step, r.instanceId === 'alb-nodeclient0001' && r.listenerId === 'lsn-nodeclient0001@443' && r.listenerPort === '443',
    `resource ${JSON.stringify(r)}: want InstanceId, ListenerId and ListenerPort "443"`);
  check(step, r.enableHttps === 1 && isNumber(r.userId), `resource ${JSON.stringify(r)}: want EnableHttps 1 and a UserId`);
  ok(step, `Total=${res.total} Id=${r.id} CloudProduct=${r.cloudProduct} ListenerPort=${r.listenerPort}`);

  step = 'ak ListDeploymentJob';
  const jobs = await call(step, () => ak.listDeploymentJob(new cas.ListDeploymentJobRequest({ currentPage: 1, showSize: 20 })));
  checkPage(step, jobs);
  const jobId = Number(env('CASEMU_JOB_ID'));
  const j = (jobs.data ?? []).find((x) => x.id === jobId);
  check(step, j !== undefined, `job ${jobId} not in Data ${JSON.stringify(jobs.data)}`);
  check(step, j.name === 'nodeclient-job' && j.jobType === 'user' && j.status === 'editing' && j.instanceId === 'cas-job-user-nodecl',
    `job ${JSON.stringify(j)}: want nodeclient-job, user, editing, cas-job-user-nodecl`);
  check(step, j.del === 0 && j.rollback === 0 && isNumber(j.userId) && /^\d+$/.test(j.gmtCreate ?? ''),
    `job ${JSON.stringify(j)}: want Del 0, Rollback 0, a UserId and GmtCreate in milliseconds`);
  ok(step, `Total=${jobs.total} Id=${j.id} Status=${j.status} GmtCreate=${j.gmtCreate}`);

  console.log(`ok   ${tag} all steps`);
}

// checkPage checks the paging fields of ListDeploymentJob and ListCloudResources.
function checkPage(step, body) {
  check(step, isNumber(body.total) && body.total >= 0, `Total = ${JSON.stringify(body.total)}`);
  check(step, body.currentPage === 1, `CurrentPage = ${JSON.stringify(body.currentPage)}, want 1`);
  check(step, body.showSize === 20, `ShowSize = ${JSON.stringify(body.showSize)}, want 20`);
  check(step, body.data === undefined || Array.isArray(body.data), `Data = ${JSON.stringify(body.data)}`);
  const n = body.data?.length ?? 0;
  check(step, n <= 20 && n <= body.total, `${n} entries on the page, Total ${body.total}`);
}

main().catch((e) => fail('unexpected', e?.stack ?? String(e)));

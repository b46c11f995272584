import { _ as Mi, d as jn, i as Hu, c as me, Q as qu, o as Ju, a as Qu, w as Se, n as td, b as Q, e as ft, f as k, g as On, h as yt, u as J, j as ct, k as $t, I as kt, s as Ne, l as ee, t as Ce, m as ed, p as nd, F as nc, r as Ft, q as id, v as ae, M as rd, S as xt, x as ic, y as sd, z as jr, A as Vr, T as od, B as ad, C as Ol, D as ld, E as ya, G as hd, H as cd, J as ud, K as dd, L as gd } from "./odk-web-forms-index.js";
function rc(...i) {
  console.warn(...i);
}
const At = {
  UNKNOWN: 0,
  INTERSECTING: 1,
  ABOVE: 2,
  RIGHT: 4,
  BELOW: 8,
  LEFT: 16
};
function qt(i) {
  const t = ce();
  for (let e = 0, n = i.length; e < n; ++e)
    tr(t, i[e]);
  return t;
}
function br(i, t, e) {
  return e ? (e[0] = i[0] - t, e[1] = i[1] - t, e[2] = i[2] + t, e[3] = i[3] + t, e) : [
    i[0] - t,
    i[1] - t,
    i[2] + t,
    i[3] + t
  ];
}
function sc(i, t) {
  return t ? (t[0] = i[0], t[1] = i[1], t[2] = i[2], t[3] = i[3], t) : i.slice();
}
function Vn(i, t, e) {
  let n, r;
  return t < i[0] ? n = i[0] - t : i[2] < t ? n = t - i[2] : n = 0, e < i[1] ? r = i[1] - e : i[3] < e ? r = e - i[3] : r = 0, n * n + r * r;
}
function Ti(i, t) {
  return xa(i, t[0], t[1]);
}
function Xi(i, t) {
  return i[0] <= t[0] && t[2] <= i[2] && i[1] <= t[1] && t[3] <= i[3];
}
function xa(i, t, e) {
  return i[0] <= t && t <= i[2] && i[1] <= e && e <= i[3];
}
function jo(i, t) {
  const e = i[0], n = i[1], r = i[2], s = i[3], o = t[0], a = t[1];
  let l = At.UNKNOWN;
  return o < e ? l = l | At.LEFT : o > r && (l = l | At.RIGHT), a < n ? l = l | At.BELOW : a > s && (l = l | At.ABOVE), l === At.UNKNOWN && (l = At.INTERSECTING), l;
}
function ce() {
  return [1 / 0, 1 / 0, -1 / 0, -1 / 0];
}
function Sn(i, t, e, n, r) {
  return r ? (r[0] = i, r[1] = t, r[2] = e, r[3] = n, r) : [i, t, e, n];
}
function Pr(i) {
  return Sn(1 / 0, 1 / 0, -1 / 0, -1 / 0, i);
}
function Qi(i, t) {
  const e = i[0], n = i[1];
  return Sn(e, n, e, n, t);
}
function va(i, t, e, n, r) {
  const s = Pr(r);
  return ac(s, i, t, e, n);
}
function wi(i, t) {
  return i[0] == t[0] && i[2] == t[2] && i[1] == t[1] && i[3] == t[3];
}
function oc(i, t) {
  return t[0] < i[0] && (i[0] = t[0]), t[2] > i[2] && (i[2] = t[2]), t[1] < i[1] && (i[1] = t[1]), t[3] > i[3] && (i[3] = t[3]), i;
}
function tr(i, t) {
  t[0] < i[0] && (i[0] = t[0]), t[0] > i[2] && (i[2] = t[0]), t[1] < i[1] && (i[1] = t[1]), t[1] > i[3] && (i[3] = t[1]);
}
function ac(i, t, e, n, r) {
  for (; e < n; e += r)
    fd(i, t[e], t[e + 1]);
  return i;
}
function fd(i, t, e) {
  i[0] = Math.min(i[0], t), i[1] = Math.min(i[1], e), i[2] = Math.max(i[2], t), i[3] = Math.max(i[3], e);
}
function lc(i, t) {
  let e;
  return e = t(Ms(i)), e || (e = t(Ls(i)), e) || (e = t(Ds(i)), e) || (e = t(Wn(i)), e) ? e : !1;
}
function Vo(i) {
  let t = 0;
  return Ri(i) || (t = at(i) * Zt(i)), t;
}
function Ms(i) {
  return [i[0], i[1]];
}
function Ls(i) {
  return [i[2], i[1]];
}
function Ue(i) {
  return [(i[0] + i[2]) / 2, (i[1] + i[3]) / 2];
}
function _d(i, t) {
  let e;
  if (t === "bottom-left")
    e = Ms(i);
  else if (t === "bottom-right")
    e = Ls(i);
  else if (t === "top-left")
    e = Wn(i);
  else if (t === "top-right")
    e = Ds(i);
  else
    throw new Error("Invalid corner");
  return e;
}
function Wo(i, t, e, n, r) {
  const [s, o, a, l, h, c, u, d] = hc(
    i,
    t,
    e,
    n
  );
  return Sn(
    Math.min(s, a, h, u),
    Math.min(o, l, c, d),
    Math.max(s, a, h, u),
    Math.max(o, l, c, d),
    r
  );
}
function hc(i, t, e, n) {
  const r = t * n[0] / 2, s = t * n[1] / 2, o = Math.cos(e), a = Math.sin(e), l = r * o, h = r * a, c = s * o, u = s * a, d = i[0], g = i[1];
  return [
    d - l + u,
    g - h - c,
    d - l - u,
    g - h + c,
    d + l - u,
    g + h + c,
    d + l + u,
    g + h - c,
    d - l + u,
    g - h - c
  ];
}
function Zt(i) {
  return i[3] - i[1];
}
function kn(i, t, e) {
  const n = e || ce();
  return Yt(i, t) ? (i[0] > t[0] ? n[0] = i[0] : n[0] = t[0], i[1] > t[1] ? n[1] = i[1] : n[1] = t[1], i[2] < t[2] ? n[2] = i[2] : n[2] = t[2], i[3] < t[3] ? n[3] = i[3] : n[3] = t[3]) : Pr(n), n;
}
function Wn(i) {
  return [i[0], i[3]];
}
function Ds(i) {
  return [i[2], i[3]];
}
function at(i) {
  return i[2] - i[0];
}
function Yt(i, t) {
  return i[0] <= t[2] && i[2] >= t[0] && i[1] <= t[3] && i[3] >= t[1];
}
function Ri(i) {
  return i[2] < i[0] || i[3] < i[1];
}
function pd(i, t) {
  return t ? (t[0] = i[0], t[1] = i[1], t[2] = i[2], t[3] = i[3], t) : i;
}
function md(i, t, e) {
  let n = !1;
  const r = jo(i, t), s = jo(i, e);
  if (r === At.INTERSECTING || s === At.INTERSECTING)
    n = !0;
  else {
    const o = i[0], a = i[1], l = i[2], h = i[3], c = t[0], u = t[1], d = e[0], g = e[1], f = (g - u) / (d - c);
    let p, _;
    s & At.ABOVE && !(r & At.ABOVE) && (p = d - (g - h) / f, n = p >= o && p <= l), !n && s & At.RIGHT && !(r & At.RIGHT) && (_ = g - (d - l) * f, n = _ >= a && _ <= h), !n && s & At.BELOW && !(r & At.BELOW) && (p = d - (g - a) / f, n = p >= o && p <= l), !n && s & At.LEFT && !(r & At.LEFT) && (_ = g - (d - o) * f, n = _ >= a && _ <= h);
  }
  return n;
}
function cc(i, t) {
  const e = t.getExtent(), n = Ue(i);
  if (t.canWrapX() && (n[0] < e[0] || n[0] >= e[2])) {
    const r = at(e), s = Math.floor(
      (n[0] - e[0]) / r
    ) * r;
    i[0] -= s, i[2] -= s;
  }
  return i;
}
function uc(i, t, e) {
  if (t.canWrapX()) {
    const n = t.getExtent();
    if (!isFinite(i[0]) || !isFinite(i[2]))
      return [[n[0], i[1], n[2], i[3]]];
    cc(i, t);
    const r = at(n);
    if (at(i) > r && !e)
      return [[n[0], i[1], n[2], i[3]]];
    if (i[0] < n[0])
      return [
        [i[0] + r, i[1], n[2], i[3]],
        [n[0], i[1], i[2], i[3]]
      ];
    if (i[2] > n[2])
      return [
        [i[0], i[1], n[2], i[3]],
        [n[0], i[1], i[2] - r, i[3]]
      ];
  }
  return [i];
}
function dt(i, t, e) {
  return Math.min(Math.max(i, t), e);
}
function yd(i, t, e, n, r, s) {
  const o = r - e, a = s - n;
  if (o !== 0 || a !== 0) {
    const l = ((i - e) * o + (t - n) * a) / (o * o + a * a);
    l > 1 ? (e = r, n = s) : l > 0 && (e += o * l, n += a * l);
  }
  return tn(i, t, e, n);
}
function tn(i, t, e, n) {
  const r = e - i, s = n - t;
  return r * r + s * s;
}
function xd(i) {
  const t = i.length;
  for (let n = 0; n < t; n++) {
    let r = n, s = Math.abs(i[n][n]);
    for (let a = n + 1; a < t; a++) {
      const l = Math.abs(i[a][n]);
      l > s && (s = l, r = a);
    }
    if (s === 0)
      return null;
    const o = i[r];
    i[r] = i[n], i[n] = o;
    for (let a = n + 1; a < t; a++) {
      const l = -i[a][n] / i[n][n];
      for (let h = n; h < t + 1; h++)
        n == h ? i[a][h] = 0 : i[a][h] += l * i[n][h];
    }
  }
  const e = new Array(t);
  for (let n = t - 1; n >= 0; n--) {
    e[n] = i[n][t] / i[n][n];
    for (let r = n - 1; r >= 0; r--)
      i[r][t] -= i[r][n] * e[n];
  }
  return e;
}
function kl(i) {
  return i * 180 / Math.PI;
}
function vn(i) {
  return i * Math.PI / 180;
}
function Nn(i, t) {
  const e = i % t;
  return e * t < 0 ? e + t : e;
}
function oe(i, t, e) {
  return i + e * (t - i);
}
function Ar(i, t) {
  const e = Math.pow(10, t);
  return Math.round(i * e) / e;
}
function Wr(i, t) {
  return Math.floor(Ar(i, t));
}
function Xr(i, t) {
  return Math.ceil(Ar(i, t));
}
function Xo(i, t, e) {
  if (i >= t && i < e)
    return i;
  const n = e - t;
  return ((i - t) % n + n) % n + t;
}
function vd(i, t) {
  return i[0] += +t[0], i[1] += +t[1], i;
}
function Ea(i, t) {
  const e = i[0], n = i[1], r = t[0], s = t[1], o = r[0], a = r[1], l = s[0], h = s[1], c = l - o, u = h - a, d = c === 0 && u === 0 ? 0 : (c * (e - o) + u * (n - a)) / (c * c + u * u || 0);
  let g, f;
  return d <= 0 ? (g = o, f = a) : d >= 1 ? (g = l, f = h) : (g = o + d * c, f = a + d * u), [g, f];
}
function Xt(i, t) {
  let e = !0;
  for (let n = i.length - 1; n >= 0; --n)
    if (i[n] != t[n]) {
      e = !1;
      break;
    }
  return e;
}
function Sa(i, t) {
  const e = Math.cos(t), n = Math.sin(t), r = i[0] * e - i[1] * n, s = i[1] * e + i[0] * n;
  return i[0] = r, i[1] = s, i;
}
function Ed(i, t) {
  return i[0] *= t, i[1] *= t, i;
}
function sr(i, t) {
  const e = i[0] - t[0], n = i[1] - t[1];
  return e * e + n * n;
}
function Yi(i, t) {
  return Math.sqrt(sr(i, t));
}
function Sd(i, t) {
  return sr(i, Ea(i, t));
}
function dc(i, t) {
  if (t.canWrapX()) {
    const e = at(t.getExtent()), n = Cd(i, t, e);
    n && (i[0] -= n * e);
  }
  return i;
}
function Cd(i, t, e) {
  const n = t.getExtent();
  let r = 0;
  return t.canWrapX() && (i[0] < n[0] || i[0] > n[2]) && (e = e || at(n), r = Math.floor(
    (i[0] - n[0]) / e
  )), r;
}
const or = {
  // use the radius of the Normal sphere
  radians: 6370997 / (2 * Math.PI),
  degrees: 2 * Math.PI * 6370997 / 360,
  ft: 0.3048,
  m: 1,
  "us-ft": 1200 / 3937
};
class Ca {
  /**
   * @param {Options} options Projection options.
   */
  constructor(t) {
    this.code_ = t.code, this.units_ = /** @type {import("./Units.js").Units} */
    t.units, this.extent_ = t.extent !== void 0 ? t.extent : null, this.worldExtent_ = t.worldExtent !== void 0 ? t.worldExtent : null, this.axisOrientation_ = t.axisOrientation !== void 0 ? t.axisOrientation : "enu", this.global_ = t.global !== void 0 ? t.global : !1, this.canWrapX_ = !!(this.global_ && this.extent_), this.getPointResolutionFunc_ = t.getPointResolution, this.defaultTileGrid_ = null, this.metersPerUnit_ = t.metersPerUnit;
  }
  /**
   * @return {boolean} The projection is suitable for wrapping the x-axis
   */
  canWrapX() {
    return this.canWrapX_;
  }
  /**
   * Get the code for this projection, e.g. 'EPSG:4326'.
   * @return {string} Code.
   * @api
   */
  getCode() {
    return this.code_;
  }
  /**
   * Get the validity extent for this projection.
   * @return {import("../extent.js").Extent} Extent.
   * @api
   */
  getExtent() {
    return this.extent_;
  }
  /**
   * Get the units of this projection.
   * @return {import("./Units.js").Units} Units.
   * @api
   */
  getUnits() {
    return this.units_;
  }
  /**
   * Get the amount of meters per unit of this projection.  If the projection is
   * not configured with `metersPerUnit` or a units identifier, the return is
   * `undefined`.
   * @return {number|undefined} Meters.
   * @api
   */
  getMetersPerUnit() {
    return this.metersPerUnit_ || or[this.units_];
  }
  /**
   * Get the world extent for this projection.
   * @return {import("../extent.js").Extent} Extent.
   * @api
   */
  getWorldExtent() {
    return this.worldExtent_;
  }
  /**
   * Get the axis orientation of this projection.
   * Example values are:
   * enu - the default easting, northing, elevation.
   * neu - northing, easting, up - useful for "lat/long" geographic coordinates,
   *     or south orientated transverse mercator.
   * wnu - westing, northing, up - some planetary coordinate systems have
   *     "west positive" coordinate systems
   * @return {string} Axis orientation.
   * @api
   */
  getAxisOrientation() {
    return this.axisOrientation_;
  }
  /**
   * Is this projection a global projection which spans the whole world?
   * @return {boolean} Whether the projection is global.
   * @api
   */
  isGlobal() {
    return this.global_;
  }
  /**
   * Set if the projection is a global projection which spans the whole world
   * @param {boolean} global Whether the projection is global.
   * @api
   */
  setGlobal(t) {
    this.global_ = t, this.canWrapX_ = !!(t && this.extent_);
  }
  /**
   * @return {import("../tilegrid/TileGrid.js").default} The default tile grid.
   */
  getDefaultTileGrid() {
    return this.defaultTileGrid_;
  }
  /**
   * @param {import("../tilegrid/TileGrid.js").default} tileGrid The default tile grid.
   */
  setDefaultTileGrid(t) {
    this.defaultTileGrid_ = t;
  }
  /**
   * Set the validity extent for this projection.
   * @param {import("../extent.js").Extent} extent Extent.
   * @api
   */
  setExtent(t) {
    this.extent_ = t, this.canWrapX_ = !!(this.global_ && t);
  }
  /**
   * Set the world extent for this projection.
   * @param {import("../extent.js").Extent} worldExtent World extent
   *     [minlon, minlat, maxlon, maxlat].
   * @api
   */
  setWorldExtent(t) {
    this.worldExtent_ = t;
  }
  /**
   * Set the getPointResolution function (see {@link module:ol/proj.getPointResolution}
   * for this projection.
   * @param {function(number, import("../coordinate.js").Coordinate):number} func Function
   * @api
   */
  setGetPointResolution(t) {
    this.getPointResolutionFunc_ = t;
  }
  /**
   * Get the custom point resolution function for this projection (if set).
   * @return {GetPointResolution|undefined} The custom point
   * resolution function (if set).
   */
  getPointResolutionFunc() {
    return this.getPointResolutionFunc_;
  }
}
const Fr = 6378137, pi = Math.PI * Fr, Td = [-pi, -pi, pi, pi], wd = [-180, -85, 180, 85], Yr = Fr * Math.log(Math.tan(Math.PI / 2));
class ti extends Ca {
  /**
   * @param {string} code Code.
   */
  constructor(t) {
    super({
      code: t,
      units: "m",
      extent: Td,
      global: !0,
      worldExtent: wd,
      getPointResolution: function(e, n) {
        return e / Math.cosh(n[1] / Fr);
      }
    });
  }
}
const Nl = [
  new ti("EPSG:3857"),
  new ti("EPSG:102100"),
  new ti("EPSG:102113"),
  new ti("EPSG:900913"),
  new ti("http://www.opengis.net/def/crs/EPSG/0/3857"),
  new ti("http://www.opengis.net/gml/srs/epsg.xml#3857")
];
function Rd(i, t, e, n) {
  const r = i.length;
  e = e > 1 ? e : 2, n = n ?? e, t === void 0 && (e > 2 ? t = i.slice() : t = new Array(r));
  for (let s = 0; s < r; s += n) {
    t[s] = pi * i[s] / 180;
    let o = Fr * Math.log(Math.tan(Math.PI * (+i[s + 1] + 90) / 360));
    o > Yr ? o = Yr : o < -Yr && (o = -Yr), t[s + 1] = o;
  }
  return t;
}
function bd(i, t, e, n) {
  const r = i.length;
  e = e > 1 ? e : 2, n = n ?? e, t === void 0 && (e > 2 ? t = i.slice() : t = new Array(r));
  for (let s = 0; s < r; s += n)
    t[s] = 180 * i[s] / pi, t[s + 1] = 360 * Math.atan(Math.exp(i[s + 1] / Fr)) / Math.PI - 90;
  return t;
}
const Pd = 6378137, Gl = [-180, -90, 180, 90], Ad = Math.PI * Pd / 180;
class bn extends Ca {
  /**
   * @param {string} code Code.
   * @param {string} [axisOrientation] Axis orientation.
   */
  constructor(t, e) {
    super({
      code: t,
      units: "degrees",
      extent: Gl,
      axisOrientation: e,
      global: !0,
      metersPerUnit: Ad,
      worldExtent: Gl
    });
  }
}
const Bl = [
  new bn("CRS:84"),
  new bn("EPSG:4326", "neu"),
  new bn("urn:ogc:def:crs:OGC:1.3:CRS84"),
  new bn("urn:ogc:def:crs:OGC:2:84"),
  new bn("http://www.opengis.net/def/crs/OGC/1.3/CRS84"),
  new bn("http://www.opengis.net/gml/srs/epsg.xml#4326", "neu"),
  new bn("http://www.opengis.net/def/crs/EPSG/0/4326", "neu")
];
let Yo = {};
function Fd(i) {
  return Yo[i] || Yo[i.replace(/urn:(x-)?ogc:def:crs:EPSG:(.*:)?(\w+)$/, "EPSG:$3")] || null;
}
function Id(i, t) {
  Yo[i] = t;
}
function Li(i) {
  for (const t in i)
    delete i[t];
}
function Bn(i) {
  let t;
  for (t in i)
    return !1;
  return !t;
}
let xi = {};
function ar(i, t, e) {
  const n = i.getCode(), r = t.getCode();
  n in xi || (xi[n] = {}), xi[n][r] = e;
}
function ro(i, t) {
  return i in xi && t in xi[i] ? xi[i][t] : null;
}
const fs = 0.9996, xe = 669438e-8, Os = xe * xe, ks = Os * xe, In = xe / (1 - xe), Ul = Math.sqrt(1 - xe), bi = (1 - Ul) / (1 + Ul), gc = bi * bi, Ta = gc * bi, wa = Ta * bi, fc = wa * bi, _c = 1 - xe / 4 - 3 * Os / 64 - 5 * ks / 256, Md = 3 * xe / 8 + 3 * Os / 32 + 45 * ks / 1024, Ld = 15 * Os / 256 + 45 * ks / 1024, Dd = 35 * ks / 3072, Od = 3 / 2 * bi - 27 / 32 * Ta + 269 / 512 * fc, kd = 21 / 16 * gc - 55 / 32 * wa, Nd = 151 / 96 * Ta - 417 / 128 * fc, Gd = 1097 / 512 * wa, _s = 6378137;
function Bd(i, t, e) {
  const n = i - 5e5, r = (e.north ? t : t - 1e7) / fs / (_s * _c), s = r + Od * Math.sin(2 * r) + kd * Math.sin(4 * r) + Nd * Math.sin(6 * r) + Gd * Math.sin(8 * r), o = Math.sin(s), a = o * o, l = Math.cos(s), h = o / l, c = h * h, u = c * c, d = 1 - xe * a, g = Math.sqrt(1 - xe * a), f = _s / g, p = (1 - xe) / d, _ = In * l ** 2, y = _ * _, x = n / (f * fs), E = x * x, v = E * x, m = v * x, C = m * x, T = C * x, w = s - h / p * (E / 2 - m / 24 * (5 + 3 * c + 10 * _ - 4 * y - 9 * In)) + T / 720 * (61 + 90 * c + 298 * _ + 45 * u - 252 * In - 3 * y);
  let b = (x - v / 6 * (1 + 2 * c + _) + C / 120 * (5 - 2 * _ + 28 * c - 3 * y + 8 * In + 24 * u)) / l;
  return b = Xo(
    b + vn(pc(e.number)),
    -Math.PI,
    Math.PI
  ), [kl(b), kl(w)];
}
const zl = -80, $l = 84, Ud = -180, zd = 180;
function $d(i, t, e) {
  i = Xo(i, Ud, zd), t < zl ? t = zl : t > $l && (t = $l);
  const n = vn(t), r = Math.sin(n), s = Math.cos(n), o = r / s, a = o * o, l = a * a, h = vn(i), c = pc(e.number), u = vn(c), d = _s / Math.sqrt(1 - xe * r ** 2), g = In * s ** 2, f = s * Xo(h - u, -Math.PI, Math.PI), p = f * f, _ = p * f, y = _ * f, x = y * f, E = x * f, v = _s * (_c * n - Md * Math.sin(2 * n) + Ld * Math.sin(4 * n) - Dd * Math.sin(6 * n)), m = fs * d * (f + _ / 6 * (1 - a + g) + x / 120 * (5 - 18 * a + l + 72 * g - 58 * In)) + 5e5;
  let C = fs * (v + d * o * (p / 2 + y / 24 * (5 - a + 9 * g + 4 * g ** 2) + E / 720 * (61 - 58 * a + l + 600 * g - 330 * In)));
  return e.north || (C += 1e7), [m, C];
}
function pc(i) {
  return (i - 1) * 6 - 180 + 3;
}
const jd = [
  /^EPSG:(\d+)$/,
  /^urn:ogc:def:crs:EPSG::(\d+)$/,
  /^http:\/\/www\.opengis\.net\/def\/crs\/EPSG\/0\/(\d+)$/
];
function mc(i) {
  let t = 0;
  for (const r of jd) {
    const s = i.match(r);
    if (s) {
      t = parseInt(s[1]);
      break;
    }
  }
  if (!t)
    return null;
  let e = 0, n = !1;
  return t > 32700 && t < 32761 ? e = t - 32700 : t > 32600 && t < 32661 && (n = !0, e = t - 32600), e ? { number: e, north: n } : null;
}
function jl(i, t) {
  return function(e, n, r, s) {
    const o = e.length;
    r = r > 1 ? r : 2, s = s ?? r, n || (r > 2 ? n = e.slice() : n = new Array(o));
    for (let a = 0; a < o; a += s) {
      const l = e[a], h = e[a + 1], c = i(l, h, t);
      n[a] = c[0], n[a + 1] = c[1];
    }
    return n;
  };
}
function Vd(i) {
  return mc(i) ? new Ca({ code: i, units: "m" }) : null;
}
function Wd(i) {
  const t = mc(i.getCode());
  return t ? {
    forward: jl($d, t),
    inverse: jl(Bd, t)
  } : null;
}
const Xd = 63710088e-1;
function Zo(i, t, e) {
  e = e || Xd;
  const n = vn(i[1]), r = vn(t[1]), s = (r - n) / 2, o = vn(t[0] - i[0]) / 2, a = Math.sin(s) * Math.sin(s) + Math.sin(o) * Math.sin(o) * Math.cos(n) * Math.cos(r);
  return 2 * e * Math.atan2(Math.sqrt(a), Math.sqrt(1 - a));
}
const Yd = [Wd], Zd = [Vd];
let Ko = !0;
function yc(i) {
  Ko = !1;
}
function Ra(i, t) {
  if (t !== void 0) {
    for (let e = 0, n = i.length; e < n; ++e)
      t[e] = i[e];
    t = t;
  } else
    t = i.slice();
  return t;
}
function Ho(i) {
  Id(i.getCode(), i), ar(i, i, Ra);
}
function Kd(i) {
  i.forEach(Ho);
}
function _t(i) {
  if (typeof i != "string")
    return i;
  const t = Fd(i);
  if (t)
    return t;
  for (const e of Zd) {
    const n = e(i);
    if (n)
      return n;
  }
  return null;
}
function qo(i, t, e, n) {
  i = _t(i);
  let r;
  const s = i.getPointResolutionFunc();
  if (s) {
    if (r = s(t, e), n && n !== i.getUnits()) {
      const o = i.getMetersPerUnit();
      o && (r = r * o / or[n]);
    }
  } else {
    const o = i.getUnits();
    if (o == "degrees" && !n || n == "degrees")
      r = t;
    else {
      const a = Pa(
        i,
        _t("EPSG:4326")
      );
      if (!a && o !== "degrees")
        r = t * i.getMetersPerUnit();
      else {
        let h = [
          e[0] - t / 2,
          e[1],
          e[0] + t / 2,
          e[1],
          e[0],
          e[1] - t / 2,
          e[0],
          e[1] + t / 2
        ];
        h = a(h, h, 2);
        const c = Zo(h.slice(0, 2), h.slice(2, 4)), u = Zo(h.slice(4, 6), h.slice(6, 8));
        r = (c + u) / 2;
      }
      const l = n ? or[n] : i.getMetersPerUnit();
      l !== void 0 && (r /= l);
    }
  }
  return r;
}
function Vl(i) {
  Kd(i), i.forEach(function(t) {
    i.forEach(function(e) {
      t !== e && ar(t, e, Ra);
    });
  });
}
function Hd(i, t, e, n) {
  i.forEach(function(r) {
    t.forEach(function(s) {
      ar(r, s, e), ar(s, r, n);
    });
  });
}
function ba(i, t) {
  return i ? typeof i == "string" ? _t(i) : (
    /** @type {Projection} */
    i
  ) : _t(t);
}
function qd(i) {
  return (
    /**
     * @param {Array<number>} input Input.
     * @param {Array<number>} [output] Output.
     * @param {number} [dimension] Dimensions that should be transformed.
     * @param {number} [stride] Stride.
     * @return {Array<number>} Output.
     */
    (function(t, e, n, r) {
      const s = t.length;
      n = n !== void 0 ? n : 2, r = r ?? n, e = e !== void 0 ? e : new Array(s);
      for (let o = 0; o < s; o += r) {
        const a = i(t.slice(o, o + n)), l = a.length;
        for (let h = 0, c = r; h < c; ++h)
          e[o + h] = h >= l ? t[o + h] : a[h];
      }
      return e;
    })
  );
}
function lr(i, t) {
  return yc(), Ns(
    i,
    "EPSG:4326",
    "EPSG:3857"
  );
}
function hr(i, t) {
  const e = Ns(
    i,
    "EPSG:3857",
    "EPSG:4326"
  ), n = e[0];
  return (n < -180 || n > 180) && (e[0] = Nn(n + 180, 360) - 180), e;
}
function er(i, t) {
  if (i === t)
    return !0;
  const e = i.getUnits() === t.getUnits();
  return (i.getCode() === t.getCode() || Pa(i, t) === Ra) && e;
}
function Pa(i, t) {
  const e = i.getCode(), n = t.getCode();
  let r = ro(e, n);
  if (r)
    return r;
  let s = null, o = null;
  for (const l of Yd)
    s || (s = l(i)), o || (o = l(t));
  if (!s && !o)
    return null;
  const a = "EPSG:4326";
  if (o)
    if (s)
      r = so(
        s.inverse,
        o.forward
      );
    else {
      const l = ro(e, a);
      l && (r = so(
        l,
        o.forward
      ));
    }
  else {
    const l = ro(a, n);
    l && (r = so(
      s.inverse,
      l
    ));
  }
  return r && (Ho(i), Ho(t), ar(i, t, r)), r;
}
function so(i, t) {
  return function(e, n, r, s) {
    return n = i(e, n, r, s), t(n, n, r, s);
  };
}
function cr(i, t) {
  const e = _t(i), n = _t(t);
  return Pa(e, n);
}
function Ns(i, t, e) {
  const n = cr(t, e);
  if (!n) {
    const r = _t(t).getCode(), s = _t(e).getCode();
    throw new Error(
      `No transform available between ${r} and ${s}`
    );
  }
  return n(i, void 0, i.length);
}
function Un(i, t) {
  return i;
}
function gt(i, t) {
  return Ko && !Xt(i, [0, 0]) && i[0] >= -180 && i[0] <= 180 && i[1] >= -90 && i[1] <= 90 && (Ko = !1, rc(
    "Call useGeographic() from ol/proj once to work with [longitude, latitude] coordinates."
  )), i;
}
function Aa(i, t) {
  return i;
}
function Qe(i, t) {
  return i;
}
function Jd() {
  Vl(Nl), Vl(Bl), Hd(
    Bl,
    Nl,
    Rd,
    bd
  );
}
Jd();
const Qd = {
  key: 0,
  class: "advanced-panel"
}, tg = { class: "fields-container" }, eg = { class: "input-wrap" }, ng = ["disabled"], ig = { class: "input-wrap" }, rg = ["disabled"], sg = { class: "field-set" }, og = { class: "input-wrap" }, ag = ["disabled"], lg = { class: "field-set" }, hg = { class: "input-wrap" }, cg = ["disabled"], ug = /* @__PURE__ */ jn({
  __name: "MapAdvancedPanel",
  props: {
    isOpen: { type: Boolean },
    coordinates: {}
  },
  emits: ["open-paste-dialog", "save"],
  setup(i, { emit: t }) {
    const e = i, n = t, r = Ft(), s = Ft(), o = Ft(), a = Ft(), l = me(() => !e.coordinates?.length), h = me(() => ad(r.value) && !Ol(r.value, s.value)), c = me(() => ld(s.value) && !Ol(r.value, s.value));
    Se(
      () => e.coordinates,
      (d) => {
        if (d) {
          [s.value, r.value, a.value, o.value] = d;
          return;
        }
        o.value = void 0, r.value = void 0, a.value = void 0, s.value = void 0;
      },
      { immediate: !0 }
    );
    const u = () => {
      if (!h.value || !c.value)
        return;
      const d = ya(
        Number(s.value),
        Number(r.value),
        Number(a.value),
        Number(o.value)
      );
      d.length && n("save", lr(d));
    };
    return (d, g) => (Q(), ee(od, { name: "panel" }, {
      default: $t(() => [
        i.isOpen ? (Q(), ft("div", Qd, [
          k("div", tg, [
            k("div", {
              class: On([{ "field-error": !l.value && !c.value }, "field-set"])
            }, [
              k("div", eg, [
                g[5] || (g[5] = k("label", { for: "longitude" }, "Longitude", -1)),
                jr(k("input", {
                  id: "longitude",
                  "onUpdate:modelValue": g[0] || (g[0] = (f) => s.value = f),
                  type: "number",
                  disabled: l.value,
                  onChange: u
                }, null, 40, ng), [
                  [Vr, s.value]
                ])
              ]),
              g[6] || (g[6] = k("p", { class: "field-error-message" }, " Longitude is invalid ", -1))
            ], 2),
            k("div", {
              class: On([{ "field-error": !l.value && !h.value }, "field-set"])
            }, [
              k("div", ig, [
                g[7] || (g[7] = k("label", { for: "latitude" }, "Latitude", -1)),
                jr(k("input", {
                  id: "latitude",
                  "onUpdate:modelValue": g[1] || (g[1] = (f) => r.value = f),
                  type: "number",
                  disabled: l.value,
                  onChange: u
                }, null, 40, rg), [
                  [Vr, r.value]
                ])
              ]),
              g[8] || (g[8] = k("p", { class: "field-error-message" }, " Latitude is invalid ", -1))
            ], 2),
            k("div", sg, [
              k("div", og, [
                g[9] || (g[9] = k("label", { for: "altitude" }, "Altitude", -1)),
                jr(k("input", {
                  id: "altitude",
                  "onUpdate:modelValue": g[2] || (g[2] = (f) => a.value = f),
                  type: "number",
                  disabled: l.value,
                  onChange: u
                }, null, 40, ag), [
                  [Vr, a.value]
                ])
              ])
            ]),
            k("div", lg, [
              k("div", hg, [
                g[10] || (g[10] = k("label", { for: "accuracy" }, "Accuracy", -1)),
                jr(k("input", {
                  id: "accuracy",
                  "onUpdate:modelValue": g[3] || (g[3] = (f) => o.value = f),
                  type: "number",
                  disabled: l.value,
                  onChange: u
                }, null, 40, cg), [
                  [Vr, o.value]
                ])
              ])
            ])
          ]),
          k("a", {
            class: "paste-location",
            onClick: g[4] || (g[4] = (f) => n("open-paste-dialog"))
          }, [
            ct(kt, {
              name: "mdiFileOutline",
              size: "sm"
            }),
            g[11] || (g[11] = k("strong", null, "Import data to replace location", -1))
          ])
        ])) : yt("", !0)
      ]),
      _: 1
    }));
  }
}), dg = /* @__PURE__ */ Mi(ug, [["__scopeId", "data-v-61c2293c"]]), gg = { key: 0 }, fg = { key: 1 }, _g = { key: 0 }, pg = { key: 1 }, mg = /* @__PURE__ */ jn({
  __name: "MapConfirmDialog",
  props: {
    singleFeatureType: {},
    visible: { type: Boolean }
  },
  emits: ["update:visible", "deleteFeature"],
  setup(i, { emit: t }) {
    const e = t;
    return (n, r) => (Q(), ee(J(ic), {
      visible: i.visible,
      modal: "",
      class: "map-block-dialog",
      draggable: !1,
      "onUpdate:visible": r[1] || (r[1] = (s) => e("update:visible", s))
    }, {
      header: $t(() => [
        i.singleFeatureType === J(xt).SHAPE ? (Q(), ft("strong", gg, "Delete entire shape?")) : (Q(), ft("strong", fg, "Delete entire trace?"))
      ]),
      default: $t(() => [
        i.singleFeatureType === J(xt).SHAPE ? (Q(), ft("p", _g, " Are you sure you want to delete this entire shape and start over? ")) : (Q(), ft("p", pg, " Are you sure you want to delete this entire trace and start over? "))
      ]),
      footer: $t(() => [
        ct(J(Ne), {
          label: "Delete",
          onClick: r[0] || (r[0] = (s) => e("deleteFeature"))
        })
      ]),
      _: 1
    }, 8, ["visible"]));
  }
}), yg = { class: "control-bar-vertical" }, xg = ["disabled"], vg = {
  key: 0,
  class: "control-bar-horizontal"
}, Eg = ["disabled"], Sg = ["disabled"], Cg = /* @__PURE__ */ jn({
  __name: "MapControls",
  props: {
    isFullScreen: { type: Boolean },
    disableFitAllFeatures: { type: Boolean },
    disableUndo: { type: Boolean },
    disableDelete: { type: Boolean },
    showSecondaryControls: { type: Boolean }
  },
  emits: [
    "toggleFullScreen",
    "fitAllFeatures",
    "watchCurrentLocation",
    "triggerDelete",
    "undoLastChange"
  ],
  setup(i, { emit: t }) {
    const e = t;
    return (n, r) => (Q(), ft("div", {
      class: On(["control-bar", { "full-screen-active": i.isFullScreen }])
    }, [
      k("div", yg, [
        k("button", {
          title: "Full Screen",
          onClick: r[0] || (r[0] = (s) => e("toggleFullScreen"))
        }, [
          i.isFullScreen ? (Q(), ee(kt, {
            key: 0,
            name: "mdiArrowCollapse"
          })) : (Q(), ee(kt, {
            key: 1,
            name: "mdiArrowExpand"
          }))
        ]),
        k("button", {
          class: "zoom-fit-all",
          title: "Zoom to fit",
          disabled: i.disableFitAllFeatures,
          onClick: r[1] || (r[1] = (s) => e("fitAllFeatures"))
        }, [
          ct(kt, { name: "mdiFullscreen" })
        ], 8, xg),
        k("button", {
          class: "zoom-current-location",
          title: "Zoom to current location",
          onClick: r[2] || (r[2] = (s) => e("watchCurrentLocation"))
        }, [
          ct(kt, {
            name: "mdiCrosshairsGps",
            size: "sm"
          })
        ])
      ]),
      i.showSecondaryControls ? (Q(), ft("div", vg, [
        k("button", {
          title: "Delete",
          disabled: i.disableDelete,
          onClick: r[3] || (r[3] = (s) => e("triggerDelete"))
        }, [
          ct(kt, { name: "mdiTrashCanOutline" })
        ], 8, Eg),
        k("button", {
          title: "Undo last change",
          disabled: i.disableUndo,
          onClick: r[4] || (r[4] = (s) => e("undoLastChange"))
        }, [
          ct(kt, { name: "mdiArrowULeftTop" })
        ], 8, Sg)
      ])) : yt("", !0)
    ], 2));
  }
}), Tg = /* @__PURE__ */ Mi(Cg, [["__scopeId", "data-v-b324b2c9"]]);
function X() {
  throw new Error("Unimplemented abstract method.");
}
let wg = 0;
function z(i) {
  return i.ol_uid || (i.ol_uid = String(++wg));
}
const Pi = {
  /**
   * Triggered when a property is changed.
   * @event module:ol/Object.ObjectEvent#propertychange
   * @api
   */
  PROPERTYCHANGE: "propertychange"
}, Y = {
  /**
   * Generic change event. Triggered when the revision counter is increased.
   * @event module:ol/events/Event~BaseEvent#change
   * @api
   */
  CHANGE: "change",
  /**
   * Generic error event. Triggered when an error occurs.
   * @event module:ol/events/Event~BaseEvent#error
   * @api
   */
  ERROR: "error",
  CONTEXTMENU: "contextmenu",
  CLICK: "click",
  DBLCLICK: "dblclick",
  KEYDOWN: "keydown",
  KEYPRESS: "keypress",
  LOAD: "load",
  TOUCHMOVE: "touchmove",
  WHEEL: "wheel"
};
class Ir {
  constructor() {
    this.disposed = !1;
  }
  /**
   * Clean up.
   */
  dispose() {
    this.disposed || (this.disposed = !0, this.disposeInternal());
  }
  /**
   * Extension point for disposable objects.
   * @protected
   */
  disposeInternal() {
  }
}
function Rg(i, t, e) {
  let n, r;
  e = e || en;
  let s = 0, o = i.length, a = !1;
  for (; s < o; )
    n = s + (o - s >> 1), r = +e(i[n], t), r < 0 ? s = n + 1 : (o = n, a = !r);
  return a ? s : ~s;
}
function en(i, t) {
  return i > t ? 1 : i < t ? -1 : 0;
}
function bg(i, t) {
  return i < t ? 1 : i > t ? -1 : 0;
}
function Fa(i, t, e) {
  if (i[0] <= t)
    return 0;
  const n = i.length;
  if (t <= i[n - 1])
    return n - 1;
  if (typeof e == "function") {
    for (let r = 1; r < n; ++r) {
      const s = i[r];
      if (s === t)
        return r;
      if (s < t)
        return e(t, i[r - 1], s) > 0 ? r - 1 : r;
    }
    return n - 1;
  }
  if (e > 0) {
    for (let r = 1; r < n; ++r)
      if (i[r] < t)
        return r - 1;
    return n - 1;
  }
  if (e < 0) {
    for (let r = 1; r < n; ++r)
      if (i[r] <= t)
        return r;
    return n - 1;
  }
  for (let r = 1; r < n; ++r) {
    if (i[r] == t)
      return r;
    if (i[r] < t)
      return i[r - 1] - t < t - i[r] ? r - 1 : r;
  }
  return n - 1;
}
function Pg(i, t, e) {
  for (; t < e; ) {
    const n = i[t];
    i[t] = i[e], i[e] = n, ++t, --e;
  }
}
function Ge(i, t) {
  const e = Array.isArray(t) ? t : [t], n = e.length;
  for (let r = 0; r < n; r++)
    i[i.length] = e[r];
}
function ze(i, t) {
  const e = i.length;
  if (e !== t.length)
    return !1;
  for (let n = 0; n < e; n++)
    if (i[n] !== t[n])
      return !1;
  return !0;
}
function Ag(i, t, e) {
  const n = t || en;
  return i.every(function(r, s) {
    if (s === 0)
      return !0;
    const o = n(i[s - 1], r);
    return !(o > 0 || o === 0);
  });
}
function zn() {
  return !0;
}
function Mr() {
  return !1;
}
function ur() {
}
function xc(i) {
  let t, e, n;
  return function() {
    const r = Array.prototype.slice.call(arguments);
    return (!e || this !== n || !ze(r, e)) && (n = this, e = r, t = i.apply(this, arguments)), t;
  };
}
function Fg(i) {
  function t() {
    let e;
    try {
      e = i();
    } catch (n) {
      return Promise.reject(n);
    }
    return e instanceof Promise ? e : Promise.resolve(e);
  }
  return t();
}
class Pe {
  /**
   * @param {string} type Type.
   */
  constructor(t) {
    this.propagationStopped, this.defaultPrevented, this.type = t, this.target = null;
  }
  /**
   * Prevent default. This means that no emulated `click`, `singleclick` or `doubleclick` events
   * will be fired.
   * @api
   */
  preventDefault() {
    this.defaultPrevented = !0;
  }
  /**
   * Stop event propagation.
   * @api
   */
  stopPropagation() {
    this.propagationStopped = !0;
  }
}
class Gs extends Ir {
  /**
   * @param {*} [target] Default event target for dispatched events.
   */
  constructor(t) {
    super(), this.eventTarget_ = t, this.pendingRemovals_ = null, this.dispatching_ = null, this.listeners_ = null;
  }
  /**
   * @param {string} type Type.
   * @param {import("../events.js").Listener} listener Listener.
   */
  addEventListener(t, e) {
    if (!t || !e)
      return;
    const n = this.listeners_ || (this.listeners_ = {}), r = n[t] || (n[t] = []);
    r.includes(e) || r.push(e);
  }
  /**
   * Dispatches an event and calls all listeners listening for events
   * of this type. The event parameter can either be a string or an
   * Object with a `type` property.
   *
   * @param {import("./Event.js").default|string} event Event object.
   * @return {boolean|undefined} `false` if anyone called preventDefault on the
   *     event object or if any of the listeners returned false.
   * @api
   */
  dispatchEvent(t) {
    const e = typeof t == "string", n = e ? t : t.type, r = this.listeners_ && this.listeners_[n];
    if (!r)
      return;
    const s = e ? new Pe(t) : (
      /** @type {Event} */
      t
    );
    s.target || (s.target = this.eventTarget_ || this);
    const o = this.dispatching_ || (this.dispatching_ = {}), a = this.pendingRemovals_ || (this.pendingRemovals_ = {});
    n in o || (o[n] = 0, a[n] = 0), ++o[n];
    let l;
    for (let h = 0, c = r.length; h < c; ++h)
      if ("handleEvent" in r[h] ? l = /** @type {import("../events.js").ListenerObject} */
      r[h].handleEvent(s) : l = /** @type {import("../events.js").ListenerFunction} */
      r[h].call(this, s), l === !1 || s.propagationStopped) {
        l = !1;
        break;
      }
    if (--o[n] === 0) {
      let h = a[n];
      for (delete a[n]; h--; )
        this.removeEventListener(n, ur);
      delete o[n];
    }
    return l;
  }
  /**
   * Clean up.
   * @override
   */
  disposeInternal() {
    this.listeners_ && Li(this.listeners_);
  }
  /**
   * Get the listeners for a specified event type. Listeners are returned in the
   * order that they will be called in.
   *
   * @param {string} type Type.
   * @return {Array<import("../events.js").Listener>|undefined} Listeners.
   */
  getListeners(t) {
    return this.listeners_ && this.listeners_[t] || void 0;
  }
  /**
   * @param {string} [type] Type. If not provided,
   *     `true` will be returned if this event target has any listeners.
   * @return {boolean} Has listeners.
   */
  hasListener(t) {
    return this.listeners_ ? t ? t in this.listeners_ : Object.keys(this.listeners_).length > 0 : !1;
  }
  /**
   * @param {string} type Type.
   * @param {import("../events.js").Listener} listener Listener.
   */
  removeEventListener(t, e) {
    if (!this.listeners_)
      return;
    const n = this.listeners_[t];
    if (!n)
      return;
    const r = n.indexOf(e);
    r !== -1 && (this.pendingRemovals_ && t in this.pendingRemovals_ ? (n[r] = ur, ++this.pendingRemovals_[t]) : (n.splice(r, 1), n.length === 0 && delete this.listeners_[t]));
  }
}
function tt(i, t, e, n, r) {
  if (r) {
    const o = e;
    e = function(a) {
      return i.removeEventListener(t, e), o.call(n ?? this, a);
    };
  } else n && n !== i && (e = e.bind(n));
  const s = {
    target: i,
    type: t,
    listener: e
  };
  return i.addEventListener(t, e), s;
}
function ps(i, t, e, n) {
  return tt(i, t, e, n, !0);
}
function ht(i) {
  i && i.target && (i.target.removeEventListener(i.type, i.listener), Li(i));
}
class Lr extends Gs {
  constructor() {
    super(), this.on = /** @type {ObservableOnSignature<import("./events").EventsKey>} */
    this.onInternal, this.once = /** @type {ObservableOnSignature<import("./events").EventsKey>} */
    this.onceInternal, this.un = /** @type {ObservableOnSignature<void>} */
    this.unInternal, this.revision_ = 0;
  }
  /**
   * Increases the revision counter and dispatches a 'change' event.
   * @api
   */
  changed() {
    ++this.revision_, this.dispatchEvent(Y.CHANGE);
  }
  /**
   * Get the version number for this object.  Each time the object is modified,
   * its version number will be incremented.
   * @return {number} Revision.
   * @api
   */
  getRevision() {
    return this.revision_;
  }
  /**
   * @param {string|Array<string>} type Type.
   * @param {function((Event|import("./events/Event").default)): ?} listener Listener.
   * @return {import("./events.js").EventsKey|Array<import("./events.js").EventsKey>} Event key.
   * @protected
   */
  onInternal(t, e) {
    if (Array.isArray(t)) {
      const n = t.length, r = new Array(n);
      for (let s = 0; s < n; ++s)
        r[s] = tt(this, t[s], e);
      return r;
    }
    return tt(
      this,
      /** @type {string} */
      t,
      e
    );
  }
  /**
   * @param {string|Array<string>} type Type.
   * @param {function((Event|import("./events/Event").default)): ?} listener Listener.
   * @return {import("./events.js").EventsKey|Array<import("./events.js").EventsKey>} Event key.
   * @protected
   */
  onceInternal(t, e) {
    let n;
    if (Array.isArray(t)) {
      const r = t.length;
      n = new Array(r);
      for (let s = 0; s < r; ++s)
        n[s] = ps(this, t[s], e);
    } else
      n = ps(
        this,
        /** @type {string} */
        t,
        e
      );
    return e.ol_key = n, n;
  }
  /**
   * Unlisten for a certain type of event.
   * @param {string|Array<string>} type Type.
   * @param {function((Event|import("./events/Event").default)): ?} listener Listener.
   * @protected
   */
  unInternal(t, e) {
    const n = (
      /** @type {Object} */
      e.ol_key
    );
    if (n)
      Ig(n);
    else if (Array.isArray(t))
      for (let r = 0, s = t.length; r < s; ++r)
        this.removeEventListener(t[r], e);
    else
      this.removeEventListener(t, e);
  }
}
Lr.prototype.on;
Lr.prototype.once;
Lr.prototype.un;
function Ig(i) {
  if (Array.isArray(i))
    for (let t = 0, e = i.length; t < e; ++t)
      ht(i[t]);
  else
    ht(
      /** @type {import("./events.js").EventsKey} */
      i
    );
}
class Wl extends Pe {
  /**
   * @param {string} type The event type.
   * @param {string} key The property name.
   * @param {*} oldValue The old value for `key`.
   */
  constructor(t, e, n) {
    super(t), this.key = e, this.oldValue = n;
  }
}
class $e extends Lr {
  /**
   * @param {Object<string, *>} [values] An object with key-value pairs.
   */
  constructor(t) {
    super(), this.on, this.once, this.un, z(this), this.values_ = null, t !== void 0 && this.setProperties(t);
  }
  /**
   * Gets a value.
   * @param {string} key Key name.
   * @return {*} Value.
   * @api
   */
  get(t) {
    let e;
    return this.values_ && this.values_.hasOwnProperty(t) && (e = this.values_[t]), e;
  }
  /**
   * Get a list of object property names.
   * @return {Array<string>} List of property names.
   * @api
   */
  getKeys() {
    return this.values_ && Object.keys(this.values_) || [];
  }
  /**
   * Get an object of all property names and values.
   * @return {Object<string, *>} Object.
   * @api
   */
  getProperties() {
    return this.values_ && Object.assign({}, this.values_) || {};
  }
  /**
   * Get an object of all property names and values.
   * @return {Object<string, *>?} Object.
   */
  getPropertiesInternal() {
    return this.values_;
  }
  /**
   * @return {boolean} The object has properties.
   */
  hasProperties() {
    return !!this.values_;
  }
  /**
   * @param {string} key Key name.
   * @param {*} oldValue Old value.
   */
  notify(t, e) {
    let n;
    n = `change:${t}`, this.hasListener(n) && this.dispatchEvent(new Wl(n, t, e)), n = Pi.PROPERTYCHANGE, this.hasListener(n) && this.dispatchEvent(new Wl(n, t, e));
  }
  /**
   * @param {string} key Key name.
   * @param {import("./events.js").Listener} listener Listener.
   */
  addChangeListener(t, e) {
    this.addEventListener(`change:${t}`, e);
  }
  /**
   * @param {string} key Key name.
   * @param {import("./events.js").Listener} listener Listener.
   */
  removeChangeListener(t, e) {
    this.removeEventListener(`change:${t}`, e);
  }
  /**
   * Sets a value.
   * @param {string} key Key name.
   * @param {*} value Value.
   * @param {boolean} [silent] Update without triggering an event.
   * @api
   */
  set(t, e, n) {
    const r = this.values_ || (this.values_ = {});
    if (n)
      r[t] = e;
    else {
      const s = r[t];
      r[t] = e, s !== e && this.notify(t, s);
    }
  }
  /**
   * Sets a collection of key-value pairs.  Note that this changes any existing
   * properties and adds new ones (it does not remove any existing properties).
   * @param {Object<string, *>} values Values.
   * @param {boolean} [silent] Update without triggering an event.
   * @api
   */
  setProperties(t, e) {
    for (const n in t)
      this.set(n, t[n], e);
  }
  /**
   * Apply any properties from another object without triggering events.
   * @param {BaseObject} source The source object.
   * @protected
   */
  applyProperties(t) {
    t.values_ && Object.assign(this.values_ || (this.values_ = {}), t.values_);
  }
  /**
   * Unsets a property.
   * @param {string} key Key name.
   * @param {boolean} [silent] Unset without triggering an event.
   * @api
   */
  unset(t, e) {
    if (this.values_ && t in this.values_) {
      const n = this.values_[t];
      delete this.values_[t], Bn(this.values_) && (this.values_ = null), e || this.notify(t, n);
    }
  }
}
function nt(i, t) {
  if (!i)
    throw new Error(t);
}
const Mg = new Array(6);
function wt() {
  return [1, 0, 0, 1, 0, 0];
}
function vc(i, t) {
  const e = i[0], n = i[1], r = i[2], s = i[3], o = i[4], a = i[5], l = t[0], h = t[1], c = t[2], u = t[3], d = t[4], g = t[5];
  return i[0] = e * l + r * h, i[1] = n * l + s * h, i[2] = e * c + r * u, i[3] = n * c + s * u, i[4] = e * d + r * g + o, i[5] = n * d + s * g + a, i;
}
function Lg(i, t, e, n, r, s, o) {
  return i[0] = t, i[1] = e, i[2] = n, i[3] = r, i[4] = s, i[5] = o, i;
}
function Ec(i, t) {
  return i[0] = t[0], i[1] = t[1], i[2] = t[2], i[3] = t[3], i[4] = t[4], i[5] = t[5], i;
}
function mt(i, t) {
  const e = t[0], n = t[1];
  return t[0] = i[0] * e + i[2] * n + i[4], t[1] = i[1] * e + i[3] * n + i[5], t;
}
function Dg(i, t, e) {
  return vc(i, Lg(Mg, 1, 0, 0, 1, t, e));
}
function we(i, t, e, n, r, s, o, a) {
  const l = Math.sin(s), h = Math.cos(s);
  return i[0] = n * h, i[1] = r * l, i[2] = -n * l, i[3] = r * h, i[4] = o * n * h - a * n * l + t, i[5] = o * r * l + a * r * h + e, i;
}
function dr(i, t) {
  const e = Og(t);
  nt(e !== 0, "Transformation matrix cannot be inverted");
  const n = t[0], r = t[1], s = t[2], o = t[3], a = t[4], l = t[5];
  return i[0] = o / e, i[1] = -r / e, i[2] = -s / e, i[3] = n / e, i[4] = (s * l - o * a) / e, i[5] = -(n * l - r * a) / e, i;
}
function Og(i) {
  return i[0] * i[3] - i[1] * i[2];
}
const kg = [1e5, 1e5, 1e5, 1e5, 2, 2];
function Ng(i) {
  return "matrix(" + i.join(", ") + ")";
}
function Jo(i) {
  return i.substring(7, i.length - 1).split(",").map(parseFloat);
}
function Gg(i, t) {
  const e = Jo(i), n = Jo(t);
  for (let r = 0; r < 6; ++r)
    if (Math.round((e[r] - n[r]) * kg[r]) !== 0)
      return !1;
  return !0;
}
function Be(i, t, e, n, r, s, o) {
  s = s || [], o = o || 2;
  let a = 0;
  for (let l = t; l < e; l += n) {
    const h = i[l], c = i[l + 1];
    s[a++] = r[0] * h + r[2] * c + r[4], s[a++] = r[1] * h + r[3] * c + r[5];
    for (let u = 2; u < o; u++)
      s[a++] = i[l + u];
  }
  return s && s.length != a && (s.length = a), s;
}
function Sc(i, t, e, n, r, s, o) {
  o = o || [];
  const a = Math.cos(r), l = Math.sin(r), h = s[0], c = s[1];
  let u = 0;
  for (let d = t; d < e; d += n) {
    const g = i[d] - h, f = i[d + 1] - c;
    o[u++] = h + g * a - f * l, o[u++] = c + g * l + f * a;
    for (let p = d + 2; p < d + n; ++p)
      o[u++] = i[p];
  }
  return o && o.length != u && (o.length = u), o;
}
function Bg(i, t, e, n, r, s, o, a) {
  a = a || [];
  const l = o[0], h = o[1];
  let c = 0;
  for (let u = t; u < e; u += n) {
    const d = i[u] - l, g = i[u + 1] - h;
    a[c++] = l + r * d, a[c++] = h + s * g;
    for (let f = u + 2; f < u + n; ++f)
      a[c++] = i[f];
  }
  return a && a.length != c && (a.length = c), a;
}
function Ug(i, t, e, n, r, s, o) {
  o = o || [];
  let a = 0;
  for (let l = t; l < e; l += n) {
    o[a++] = i[l] + r, o[a++] = i[l + 1] + s;
    for (let h = l + 2; h < l + n; ++h)
      o[a++] = i[h];
  }
  return o && o.length != a && (o.length = a), o;
}
const Xl = wt(), zg = [NaN, NaN];
class Cc extends $e {
  constructor() {
    super(), this.extent_ = ce(), this.extentRevision_ = -1, this.simplifiedGeometryMaxMinSquaredTolerance = 0, this.simplifiedGeometryRevision = 0, this.simplifyTransformedInternal = xc(
      (t, e, n) => {
        if (!n)
          return this.getSimplifiedGeometry(e);
        const r = this.clone();
        return r.applyTransform(n), r.getSimplifiedGeometry(e);
      }
    );
  }
  /**
   * Get a transformed and simplified version of the geometry.
   * @abstract
   * @param {number} squaredTolerance Squared tolerance.
   * @param {import("../proj.js").TransformFunction} [transform] Optional transform function.
   * @return {Geometry} Simplified geometry.
   */
  simplifyTransformed(t, e) {
    return this.simplifyTransformedInternal(
      this.getRevision(),
      t,
      e
    );
  }
  /**
   * Make a complete copy of the geometry.
   * @abstract
   * @return {!Geometry} Clone.
   */
  clone() {
    return X();
  }
  /**
   * @abstract
   * @param {number} x X.
   * @param {number} y Y.
   * @param {import("../coordinate.js").Coordinate} closestPoint Closest point.
   * @param {number} minSquaredDistance Minimum squared distance.
   * @return {number} Minimum squared distance.
   */
  closestPointXY(t, e, n, r) {
    return X();
  }
  /**
   * @param {number} x X.
   * @param {number} y Y.
   * @return {boolean} Contains (x, y).
   */
  containsXY(t, e) {
    return this.closestPointXY(t, e, zg, Number.MIN_VALUE) === 0;
  }
  /**
   * Return the closest point of the geometry to the passed point as
   * {@link module:ol/coordinate~Coordinate coordinate}.
   * @param {import("../coordinate.js").Coordinate} point Point.
   * @param {import("../coordinate.js").Coordinate} [closestPoint] Closest point.
   * @return {import("../coordinate.js").Coordinate} Closest point.
   * @api
   */
  getClosestPoint(t, e) {
    return e = e || [NaN, NaN], this.closestPointXY(t[0], t[1], e, 1 / 0), e;
  }
  /**
   * Returns true if this geometry includes the specified coordinate. If the
   * coordinate is on the boundary of the geometry, returns false.
   * @param {import("../coordinate.js").Coordinate} coordinate Coordinate.
   * @return {boolean} Contains coordinate.
   * @api
   */
  intersectsCoordinate(t) {
    return this.containsXY(t[0], t[1]);
  }
  /**
   * @abstract
   * @param {import("../extent.js").Extent} extent Extent.
   * @protected
   * @return {import("../extent.js").Extent} extent Extent.
   */
  computeExtent(t) {
    return X();
  }
  /**
   * Get the extent of the geometry.
   * @param {import("../extent.js").Extent} [extent] Extent.
   * @return {import("../extent.js").Extent} extent Extent.
   * @api
   */
  getExtent(t) {
    if (this.extentRevision_ != this.getRevision()) {
      const e = this.computeExtent(this.extent_);
      (isNaN(e[0]) || isNaN(e[1])) && Pr(e), this.extentRevision_ = this.getRevision();
    }
    return pd(this.extent_, t);
  }
  /**
   * Rotate the geometry around a given coordinate. This modifies the geometry
   * coordinates in place.
   * @abstract
   * @param {number} angle Rotation angle in radians.
   * @param {import("../coordinate.js").Coordinate} anchor The rotation center.
   * @api
   */
  rotate(t, e) {
    X();
  }
  /**
   * Scale the geometry (with an optional origin).  This modifies the geometry
   * coordinates in place.
   * @abstract
   * @param {number} sx The scaling factor in the x-direction.
   * @param {number} [sy] The scaling factor in the y-direction (defaults to sx).
   * @param {import("../coordinate.js").Coordinate} [anchor] The scale origin (defaults to the center
   *     of the geometry extent).
   * @api
   */
  scale(t, e, n) {
    X();
  }
  /**
   * Create a simplified version of this geometry.  For linestrings, this uses
   * the [Douglas Peucker](https://en.wikipedia.org/wiki/Ramer-Douglas-Peucker_algorithm)
   * algorithm.  For polygons, a quantization-based
   * simplification is used to preserve topology.
   * @param {number} tolerance The tolerance distance for simplification.
   * @return {Geometry} A new, simplified version of the original geometry.
   * @api
   */
  simplify(t) {
    return this.getSimplifiedGeometry(t * t);
  }
  /**
   * Create a simplified version of this geometry using the Douglas Peucker
   * algorithm.
   * See https://en.wikipedia.org/wiki/Ramer-Douglas-Peucker_algorithm.
   * @abstract
   * @param {number} squaredTolerance Squared tolerance.
   * @return {Geometry} Simplified geometry.
   */
  getSimplifiedGeometry(t) {
    return X();
  }
  /**
   * Get the type of this geometry.
   * @abstract
   * @return {Type} Geometry type.
   */
  getType() {
    return X();
  }
  /**
   * Apply a transform function to the coordinates of the geometry.
   * The geometry is modified in place.
   * If you do not want the geometry modified in place, first `clone()` it and
   * then use this function on the clone.
   * @abstract
   * @param {import("../proj.js").TransformFunction} transformFn Transform function.
   * Called with a flat array of geometry coordinates.
   */
  applyTransform(t) {
    X();
  }
  /**
   * Test if the geometry and the passed extent intersect.
   * @abstract
   * @param {import("../extent.js").Extent} extent Extent.
   * @return {boolean} `true` if the geometry and the extent intersect.
   */
  intersectsExtent(t) {
    return X();
  }
  /**
   * Translate the geometry.  This modifies the geometry coordinates in place.  If
   * instead you want a new geometry, first `clone()` this geometry.
   * @abstract
   * @param {number} deltaX Delta X.
   * @param {number} deltaY Delta Y.
   * @api
   */
  translate(t, e) {
    X();
  }
  /**
   * Transform each coordinate of the geometry from one coordinate reference
   * system to another. The geometry is modified in place.
   * For example, a line will be transformed to a line and a circle to a circle.
   * If you do not want the geometry modified in place, first `clone()` it and
   * then use this function on the clone.
   *
   * @param {import("../proj.js").ProjectionLike} source The current projection.  Can be a
   *     string identifier or a {@link module:ol/proj/Projection~Projection} object.
   * @param {import("../proj.js").ProjectionLike} destination The desired projection.  Can be a
   *     string identifier or a {@link module:ol/proj/Projection~Projection} object.
   * @return {this} This geometry.  Note that original geometry is
   *     modified in place.
   * @api
   */
  transform(t, e) {
    const n = _t(t), r = n.getUnits() == "tile-pixels" ? function(s, o, a) {
      const l = n.getExtent(), h = n.getWorldExtent(), c = Zt(h) / Zt(l);
      we(
        Xl,
        h[0],
        h[3],
        c,
        -c,
        0,
        0,
        0
      );
      const u = Be(
        s,
        0,
        s.length,
        a,
        Xl,
        o
      ), d = cr(n, e);
      return d ? d(u, u, a) : u;
    } : cr(n, e);
    return this.applyTransform(r), this;
  }
}
class Xn extends Cc {
  constructor() {
    super(), this.layout = "XY", this.stride = 2, this.flatCoordinates;
  }
  /**
   * @param {import("../extent.js").Extent} extent Extent.
   * @protected
   * @return {import("../extent.js").Extent} extent Extent.
   * @override
   */
  computeExtent(t) {
    return va(
      this.flatCoordinates,
      0,
      this.flatCoordinates.length,
      this.stride,
      t
    );
  }
  /**
   * @abstract
   * @return {Array<*> | null} Coordinates.
   */
  getCoordinates() {
    return X();
  }
  /**
   * Return the first coordinate of the geometry.
   * @return {import("../coordinate.js").Coordinate} First coordinate.
   * @api
   */
  getFirstCoordinate() {
    return this.flatCoordinates.slice(0, this.stride);
  }
  /**
   * @return {Array<number>} Flat coordinates.
   */
  getFlatCoordinates() {
    return this.flatCoordinates;
  }
  /**
   * Return the last coordinate of the geometry.
   * @return {import("../coordinate.js").Coordinate} Last point.
   * @api
   */
  getLastCoordinate() {
    return this.flatCoordinates.slice(
      this.flatCoordinates.length - this.stride
    );
  }
  /**
   * Return the {@link import("./Geometry.js").GeometryLayout layout} of the geometry.
   * @return {import("./Geometry.js").GeometryLayout} Layout.
   * @api
   */
  getLayout() {
    return this.layout;
  }
  /**
   * Create a simplified version of this geometry using the Douglas Peucker algorithm.
   * @param {number} squaredTolerance Squared tolerance.
   * @return {SimpleGeometry} Simplified geometry.
   * @override
   */
  getSimplifiedGeometry(t) {
    if (this.simplifiedGeometryRevision !== this.getRevision() && (this.simplifiedGeometryMaxMinSquaredTolerance = 0, this.simplifiedGeometryRevision = this.getRevision()), t < 0 || this.simplifiedGeometryMaxMinSquaredTolerance !== 0 && t <= this.simplifiedGeometryMaxMinSquaredTolerance)
      return this;
    const e = this.getSimplifiedGeometryInternal(t);
    return e.getFlatCoordinates().length < this.flatCoordinates.length ? e : (this.simplifiedGeometryMaxMinSquaredTolerance = t, this);
  }
  /**
   * @param {number} squaredTolerance Squared tolerance.
   * @return {SimpleGeometry} Simplified geometry.
   * @protected
   */
  getSimplifiedGeometryInternal(t) {
    return this;
  }
  /**
   * @return {number} Stride.
   */
  getStride() {
    return this.stride;
  }
  /**
   * @param {import("./Geometry.js").GeometryLayout} layout Layout.
   * @param {Array<number>} flatCoordinates Flat coordinates.
   */
  setFlatCoordinates(t, e) {
    this.stride = Yl(t), this.layout = t, this.flatCoordinates = e;
  }
  /**
   * @abstract
   * @param {!Array<*>} coordinates Coordinates.
   * @param {import("./Geometry.js").GeometryLayout} [layout] Layout.
   */
  setCoordinates(t, e) {
    X();
  }
  /**
   * @param {import("./Geometry.js").GeometryLayout|undefined} layout Layout.
   * @param {Array<*>} coordinates Coordinates.
   * @param {number} nesting Nesting.
   * @protected
   */
  setLayout(t, e, n) {
    let r;
    if (t)
      r = Yl(t);
    else {
      for (let s = 0; s < n; ++s) {
        if (e.length === 0) {
          this.layout = "XY", this.stride = 2;
          return;
        }
        e = /** @type {Array<unknown>} */
        e[0];
      }
      r = e.length, t = Yn(r);
    }
    this.layout = t, this.stride = r;
  }
  /**
   * Apply a transform function to the coordinates of the geometry.
   * The geometry is modified in place.
   * If you do not want the geometry modified in place, first `clone()` it and
   * then use this function on the clone.
   * @param {import("../proj.js").TransformFunction} transformFn Transform function.
   * Called with a flat array of geometry coordinates.
   * @api
   * @override
   */
  applyTransform(t) {
    this.flatCoordinates && (t(
      this.flatCoordinates,
      this.flatCoordinates,
      this.layout.startsWith("XYZ") ? 3 : 2,
      this.stride
    ), this.changed());
  }
  /**
   * Rotate the geometry around a given coordinate. This modifies the geometry
   * coordinates in place.
   * @param {number} angle Rotation angle in counter-clockwise radians.
   * @param {import("../coordinate.js").Coordinate} anchor The rotation center.
   * @api
   * @override
   */
  rotate(t, e) {
    const n = this.getFlatCoordinates();
    if (n) {
      const r = this.getStride();
      Sc(
        n,
        0,
        n.length,
        r,
        t,
        e,
        n
      ), this.changed();
    }
  }
  /**
   * Scale the geometry (with an optional origin).  This modifies the geometry
   * coordinates in place.
   * @param {number} sx The scaling factor in the x-direction.
   * @param {number} [sy] The scaling factor in the y-direction (defaults to sx).
   * @param {import("../coordinate.js").Coordinate} [anchor] The scale origin (defaults to the center
   *     of the geometry extent).
   * @api
   * @override
   */
  scale(t, e, n) {
    e === void 0 && (e = t), n || (n = Ue(this.getExtent()));
    const r = this.getFlatCoordinates();
    if (r) {
      const s = this.getStride();
      Bg(
        r,
        0,
        r.length,
        s,
        t,
        e,
        n,
        r
      ), this.changed();
    }
  }
  /**
   * Translate the geometry.  This modifies the geometry coordinates in place.  If
   * instead you want a new geometry, first `clone()` this geometry.
   * @param {number} deltaX Delta X.
   * @param {number} deltaY Delta Y.
   * @api
   * @override
   */
  translate(t, e) {
    const n = this.getFlatCoordinates();
    if (n) {
      const r = this.getStride();
      Ug(
        n,
        0,
        n.length,
        r,
        t,
        e,
        n
      ), this.changed();
    }
  }
}
function Yn(i) {
  let t;
  return i == 2 ? t = "XY" : i == 3 ? t = "XYZ" : i == 4 && (t = "XYZM"), /** @type {import("./Geometry.js").GeometryLayout} */
  t;
}
function Yl(i) {
  let t;
  return i == "XY" ? t = 2 : i == "XYZ" || i == "XYM" ? t = 3 : i == "XYZM" && (t = 4), /** @type {number} */
  t;
}
function $g(i, t, e) {
  const n = i.getFlatCoordinates();
  if (!n)
    return null;
  const r = i.getStride();
  return Be(
    n,
    0,
    n.length,
    r,
    t,
    e
  );
}
function jg(i, t, e, n) {
  for (let r = 0, s = e.length; r < s; ++r)
    i[t++] = e[r];
  return t;
}
function Bs(i, t, e, n) {
  for (let r = 0, s = e.length; r < s; ++r) {
    const o = e[r];
    for (let a = 0; a < n; ++a)
      i[t++] = o[a];
  }
  return t;
}
function Dr(i, t, e, n, r) {
  r = r || [];
  let s = 0;
  for (let o = 0, a = e.length; o < a; ++o) {
    const l = Bs(
      i,
      t,
      e[o],
      n
    );
    r[s++] = l, t = l;
  }
  return r.length = s, r;
}
function Tc(i, t, e, n, r) {
  r = r || [];
  let s = 0;
  for (let o = 0, a = e.length; o < a; ++o) {
    const l = Dr(
      i,
      t,
      e[o],
      n,
      r[s]
    );
    l.length === 0 && (l[0] = t), r[s++] = l, t = l[l.length - 1];
  }
  return r.length = s, r;
}
class gr extends Cc {
  /**
   * @param {Array<Geometry>} geometries Geometries.
   */
  constructor(t) {
    super(), this.geometries_ = t, this.changeEventsKeys_ = [], this.listenGeometriesChange_();
  }
  /**
   * @private
   */
  unlistenGeometriesChange_() {
    this.changeEventsKeys_.forEach(ht), this.changeEventsKeys_.length = 0;
  }
  /**
   * @private
   */
  listenGeometriesChange_() {
    const t = this.geometries_;
    for (let e = 0, n = t.length; e < n; ++e)
      this.changeEventsKeys_.push(
        tt(t[e], Y.CHANGE, this.changed, this)
      );
  }
  /**
   * Make a complete copy of the geometry.
   * @return {!GeometryCollection} Clone.
   * @api
   * @override
   */
  clone() {
    const t = new gr(
      oo(this.geometries_)
    );
    return t.applyProperties(this), t;
  }
  /**
   * @param {number} x X.
   * @param {number} y Y.
   * @param {import("../coordinate.js").Coordinate} closestPoint Closest point.
   * @param {number} minSquaredDistance Minimum squared distance.
   * @return {number} Minimum squared distance.
   * @override
   */
  closestPointXY(t, e, n, r) {
    if (r < Vn(this.getExtent(), t, e))
      return r;
    const s = this.geometries_;
    for (let o = 0, a = s.length; o < a; ++o)
      r = s[o].closestPointXY(
        t,
        e,
        n,
        r
      );
    return r;
  }
  /**
   * @param {number} x X.
   * @param {number} y Y.
   * @return {boolean} Contains (x, y).
   * @override
   */
  containsXY(t, e) {
    const n = this.geometries_;
    for (let r = 0, s = n.length; r < s; ++r)
      if (n[r].containsXY(t, e))
        return !0;
    return !1;
  }
  /**
   * @param {import("../extent.js").Extent} extent Extent.
   * @protected
   * @return {import("../extent.js").Extent} extent Extent.
   * @override
   */
  computeExtent(t) {
    Pr(t);
    const e = this.geometries_;
    for (let n = 0, r = e.length; n < r; ++n)
      oc(t, e[n].getExtent());
    return t;
  }
  /**
   * Return the geometries that make up this geometry collection.
   * @return {Array<Geometry>} Geometries.
   * @api
   */
  getGeometries() {
    return oo(this.geometries_);
  }
  /**
   * @return {Array<Geometry>} Geometries.
   */
  getGeometriesArray() {
    return this.geometries_;
  }
  /**
   * @return {Array<Geometry>} Geometries.
   */
  getGeometriesArrayRecursive() {
    let t = [];
    const e = this.geometries_;
    for (let n = 0, r = e.length; n < r; ++n)
      e[n].getType() === this.getType() ? t = t.concat(
        /** @type {GeometryCollection} */
        e[n].getGeometriesArrayRecursive()
      ) : t.push(e[n]);
    return t;
  }
  /**
   * Create a simplified version of this geometry using the Douglas Peucker algorithm.
   * @param {number} squaredTolerance Squared tolerance.
   * @return {GeometryCollection} Simplified GeometryCollection.
   * @override
   */
  getSimplifiedGeometry(t) {
    if (this.simplifiedGeometryRevision !== this.getRevision() && (this.simplifiedGeometryMaxMinSquaredTolerance = 0, this.simplifiedGeometryRevision = this.getRevision()), t < 0 || this.simplifiedGeometryMaxMinSquaredTolerance !== 0 && t < this.simplifiedGeometryMaxMinSquaredTolerance)
      return this;
    const e = [], n = this.geometries_;
    let r = !1;
    for (let s = 0, o = n.length; s < o; ++s) {
      const a = n[s], l = a.getSimplifiedGeometry(t);
      e.push(l), l !== a && (r = !0);
    }
    return r ? new gr(
      e
    ) : (this.simplifiedGeometryMaxMinSquaredTolerance = t, this);
  }
  /**
   * Get the type of this geometry.
   * @return {import("./Geometry.js").Type} Geometry type.
   * @api
   * @override
   */
  getType() {
    return "GeometryCollection";
  }
  /**
   * Test if the geometry and the passed extent intersect.
   * @param {import("../extent.js").Extent} extent Extent.
   * @return {boolean} `true` if the geometry and the extent intersect.
   * @api
   * @override
   */
  intersectsExtent(t) {
    const e = this.geometries_;
    for (let n = 0, r = e.length; n < r; ++n)
      if (e[n].intersectsExtent(t))
        return !0;
    return !1;
  }
  /**
   * @return {boolean} Is empty.
   */
  isEmpty() {
    return this.geometries_.length === 0;
  }
  /**
   * Rotate the geometry around a given coordinate. This modifies the geometry
   * coordinates in place.
   * @param {number} angle Rotation angle in radians.
   * @param {import("../coordinate.js").Coordinate} anchor The rotation center.
   * @api
   * @override
   */
  rotate(t, e) {
    const n = this.geometries_;
    for (let r = 0, s = n.length; r < s; ++r)
      n[r].rotate(t, e);
    this.changed();
  }
  /**
   * Scale the geometry (with an optional origin).  This modifies the geometry
   * coordinates in place.
   * @abstract
   * @param {number} sx The scaling factor in the x-direction.
   * @param {number} [sy] The scaling factor in the y-direction (defaults to sx).
   * @param {import("../coordinate.js").Coordinate} [anchor] The scale origin (defaults to the center
   *     of the geometry extent).
   * @api
   * @override
   */
  scale(t, e, n) {
    n || (n = Ue(this.getExtent()));
    const r = this.geometries_;
    for (let s = 0, o = r.length; s < o; ++s)
      r[s].scale(t, e, n);
    this.changed();
  }
  /**
   * Set the geometries that make up this geometry collection.
   * @param {Array<Geometry>} geometries Geometries.
   * @api
   */
  setGeometries(t) {
    this.setGeometriesArray(oo(t));
  }
  /**
   * @param {Array<Geometry>} geometries Geometries.
   */
  setGeometriesArray(t) {
    this.unlistenGeometriesChange_(), this.geometries_ = t, this.listenGeometriesChange_(), this.changed();
  }
  /**
   * Apply a transform function to the coordinates of the geometry.
   * The geometry is modified in place.
   * If you do not want the geometry modified in place, first `clone()` it and
   * then use this function on the clone.
   * @param {import("../proj.js").TransformFunction} transformFn Transform function.
   * Called with a flat array of geometry coordinates.
   * @api
   * @override
   */
  applyTransform(t) {
    const e = this.geometries_;
    for (let n = 0, r = e.length; n < r; ++n)
      e[n].applyTransform(t);
    this.changed();
  }
  /**
   * Translate the geometry.  This modifies the geometry coordinates in place.  If
   * instead you want a new geometry, first `clone()` this geometry.
   * @param {number} deltaX Delta X.
   * @param {number} deltaY Delta Y.
   * @api
   * @override
   */
  translate(t, e) {
    const n = this.geometries_;
    for (let r = 0, s = n.length; r < s; ++r)
      n[r].translate(t, e);
    this.changed();
  }
  /**
   * Clean up.
   * @override
   */
  disposeInternal() {
    this.unlistenGeometriesChange_(), super.disposeInternal();
  }
}
function oo(i) {
  return i.map((t) => t.clone());
}
function wc(i, t, e, n) {
  let r = 0;
  const s = i[e - n], o = i[e - n + 1];
  let a = 0, l = 0;
  for (; t < e; t += n) {
    const h = i[t] - s, c = i[t + 1] - o;
    r += l * h - a * c, a = h, l = c;
  }
  return r / 2;
}
function Rc(i, t, e, n) {
  let r = 0;
  for (let s = 0, o = e.length; s < o; ++s) {
    const a = e[s];
    r += wc(i, t, a, n), t = a;
  }
  return r;
}
function Vg(i, t, e, n) {
  let r = 0;
  for (let s = 0, o = e.length; s < o; ++s) {
    const a = e[s];
    r += Rc(i, t, a, n), t = a[a.length - 1];
  }
  return r;
}
function Zl(i, t, e, n, r, s, o) {
  const a = i[t], l = i[t + 1], h = i[e] - a, c = i[e + 1] - l;
  let u;
  if (h === 0 && c === 0)
    u = t;
  else {
    const d = ((r - a) * h + (s - l) * c) / (h * h + c * c);
    if (d > 1)
      u = e;
    else if (d > 0) {
      for (let g = 0; g < n; ++g)
        o[g] = oe(
          i[t + g],
          i[e + g],
          d
        );
      o.length = n;
      return;
    } else
      u = t;
  }
  for (let d = 0; d < n; ++d)
    o[d] = i[u + d];
  o.length = n;
}
function Ia(i, t, e, n, r) {
  let s = i[t], o = i[t + 1];
  for (t += n; t < e; t += n) {
    const a = i[t], l = i[t + 1], h = tn(s, o, a, l);
    h > r && (r = h), s = a, o = l;
  }
  return r;
}
function Ma(i, t, e, n, r) {
  for (let s = 0, o = e.length; s < o; ++s) {
    const a = e[s];
    r = Ia(i, t, a, n, r), t = a;
  }
  return r;
}
function Wg(i, t, e, n, r) {
  for (let s = 0, o = e.length; s < o; ++s) {
    const a = e[s];
    r = Ma(i, t, a, n, r), t = a[a.length - 1];
  }
  return r;
}
function La(i, t, e, n, r, s, o, a, l, h, c) {
  if (t == e)
    return h;
  let u, d;
  if (r === 0) {
    if (d = tn(
      o,
      a,
      i[t],
      i[t + 1]
    ), d < h) {
      for (u = 0; u < n; ++u)
        l[u] = i[t + u];
      return l.length = n, d;
    }
    return h;
  }
  c = c || [NaN, NaN];
  let g = t + n;
  for (; g < e; )
    if (Zl(
      i,
      g - n,
      g,
      n,
      o,
      a,
      c
    ), d = tn(o, a, c[0], c[1]), d < h) {
      for (h = d, u = 0; u < n; ++u)
        l[u] = c[u];
      l.length = n, g += n;
    } else
      g += n * Math.max(
        (Math.sqrt(d) - Math.sqrt(h)) / r | 0,
        1
      );
  if (s && (Zl(
    i,
    e - n,
    t,
    n,
    o,
    a,
    c
  ), d = tn(o, a, c[0], c[1]), d < h)) {
    for (h = d, u = 0; u < n; ++u)
      l[u] = c[u];
    l.length = n;
  }
  return h;
}
function Da(i, t, e, n, r, s, o, a, l, h, c) {
  c = c || [NaN, NaN];
  for (let u = 0, d = e.length; u < d; ++u) {
    const g = e[u];
    h = La(
      i,
      t,
      g,
      n,
      r,
      s,
      o,
      a,
      l,
      h,
      c
    ), t = g;
  }
  return h;
}
function Xg(i, t, e, n, r, s, o, a, l, h, c) {
  c = c || [NaN, NaN];
  for (let u = 0, d = e.length; u < d; ++u) {
    const g = e[u];
    h = Da(
      i,
      t,
      g,
      n,
      r,
      s,
      o,
      a,
      l,
      h,
      c
    ), t = g[g.length - 1];
  }
  return h;
}
function mn(i, t, e, n, r) {
  r = r !== void 0 ? r : [];
  let s = 0;
  for (let o = t; o < e; o += n)
    r[s++] = i.slice(o, o + n);
  return r.length = s, r;
}
function fr(i, t, e, n, r) {
  r = r !== void 0 ? r : [];
  let s = 0;
  for (let o = 0, a = e.length; o < a; ++o) {
    const l = e[o];
    r[s++] = mn(
      i,
      t,
      l,
      n,
      r[s]
    ), t = l;
  }
  return r.length = s, r;
}
function Qo(i, t, e, n, r) {
  r = r !== void 0 ? r : [];
  let s = 0;
  for (let o = 0, a = e.length; o < a; ++o) {
    const l = e[o];
    r[s++] = l.length === 1 && l[0] === t ? [] : fr(
      i,
      t,
      l,
      n,
      r[s]
    ), t = l[l.length - 1];
  }
  return r.length = s, r;
}
function Us(i, t, e, n, r, s, o) {
  const a = (e - t) / n;
  if (a < 3) {
    for (; t < e; t += n)
      s[o++] = i[t], s[o++] = i[t + 1];
    return o;
  }
  const l = new Array(a);
  l[0] = 1, l[a - 1] = 1;
  const h = [t, e - n];
  let c = 0;
  for (; h.length > 0; ) {
    const u = h.pop(), d = h.pop();
    let g = 0;
    const f = i[d], p = i[d + 1], _ = i[u], y = i[u + 1];
    for (let x = d + n; x < u; x += n) {
      const E = i[x], v = i[x + 1], m = yd(E, v, f, p, _, y);
      m > g && (c = x, g = m);
    }
    g > r && (l[(c - t) / n] = 1, d + n < c && h.push(d, c), c + n < u && h.push(c, u));
  }
  for (let u = 0; u < a; ++u)
    l[u] && (s[o++] = i[t + u * n], s[o++] = i[t + u * n + 1]);
  return o;
}
function bc(i, t, e, n, r, s, o, a) {
  for (let l = 0, h = e.length; l < h; ++l) {
    const c = e[l];
    o = Us(
      i,
      t,
      c,
      n,
      r,
      s,
      o
    ), a.push(o), t = c;
  }
  return o;
}
function An(i, t) {
  return t * Math.round(i / t);
}
function Yg(i, t, e, n, r, s, o) {
  if (t == e)
    return o;
  let a = An(i[t], r), l = An(i[t + 1], r);
  t += n, s[o++] = a, s[o++] = l;
  let h, c;
  do
    if (h = An(i[t], r), c = An(i[t + 1], r), t += n, t == e)
      return s[o++] = h, s[o++] = c, o;
  while (h == a && c == l);
  for (; t < e; ) {
    const u = An(i[t], r), d = An(i[t + 1], r);
    if (t += n, u == h && d == c)
      continue;
    const g = h - a, f = c - l, p = u - a, _ = d - l;
    if (g * _ == f * p && (g < 0 && p < g || g == p || g > 0 && p > g) && (f < 0 && _ < f || f == _ || f > 0 && _ > f)) {
      h = u, c = d;
      continue;
    }
    s[o++] = h, s[o++] = c, a = h, l = c, h = u, c = d;
  }
  return s[o++] = h, s[o++] = c, o;
}
function Oa(i, t, e, n, r, s, o, a) {
  for (let l = 0, h = e.length; l < h; ++l) {
    const c = e[l];
    o = Yg(
      i,
      t,
      c,
      n,
      r,
      s,
      o
    ), a.push(o), t = c;
  }
  return o;
}
function Zg(i, t, e, n, r, s, o, a) {
  for (let l = 0, h = e.length; l < h; ++l) {
    const c = e[l], u = [];
    o = Oa(
      i,
      t,
      c,
      n,
      r,
      s,
      o,
      u
    ), a.push(u), t = c[c.length - 1];
  }
  return o;
}
class _r extends Xn {
  /**
   * @param {Array<import("../coordinate.js").Coordinate>|Array<number>} coordinates Coordinates.
   *     For internal use, flat coordinates in combination with `layout` are also accepted.
   * @param {import("./Geometry.js").GeometryLayout} [layout] Layout.
   */
  constructor(t, e) {
    super(), this.maxDelta_ = -1, this.maxDeltaRevision_ = -1, e !== void 0 && !Array.isArray(t[0]) ? this.setFlatCoordinates(
      e,
      /** @type {Array<number>} */
      t
    ) : this.setCoordinates(
      /** @type {Array<import("../coordinate.js").Coordinate>} */
      t,
      e
    );
  }
  /**
   * Make a complete copy of the geometry.
   * @return {!LinearRing} Clone.
   * @api
   * @override
   */
  clone() {
    return new _r(this.flatCoordinates.slice(), this.layout);
  }
  /**
   * @param {number} x X.
   * @param {number} y Y.
   * @param {import("../coordinate.js").Coordinate} closestPoint Closest point.
   * @param {number} minSquaredDistance Minimum squared distance.
   * @return {number} Minimum squared distance.
   * @override
   */
  closestPointXY(t, e, n, r) {
    return r < Vn(this.getExtent(), t, e) ? r : (this.maxDeltaRevision_ != this.getRevision() && (this.maxDelta_ = Math.sqrt(
      Ia(
        this.flatCoordinates,
        0,
        this.flatCoordinates.length,
        this.stride,
        0
      )
    ), this.maxDeltaRevision_ = this.getRevision()), La(
      this.flatCoordinates,
      0,
      this.flatCoordinates.length,
      this.stride,
      this.maxDelta_,
      !0,
      t,
      e,
      n,
      r
    ));
  }
  /**
   * Return the area of the linear ring on projected plane.
   * @return {number} Area (on projected plane).
   * @api
   */
  getArea() {
    return wc(
      this.flatCoordinates,
      0,
      this.flatCoordinates.length,
      this.stride
    );
  }
  /**
   * Return the coordinates of the linear ring.
   * @return {Array<import("../coordinate.js").Coordinate>} Coordinates.
   * @api
   * @override
   */
  getCoordinates() {
    return mn(
      this.flatCoordinates,
      0,
      this.flatCoordinates.length,
      this.stride
    );
  }
  /**
   * @param {number} squaredTolerance Squared tolerance.
   * @return {LinearRing} Simplified LinearRing.
   * @protected
   * @override
   */
  getSimplifiedGeometryInternal(t) {
    const e = [];
    return e.length = Us(
      this.flatCoordinates,
      0,
      this.flatCoordinates.length,
      this.stride,
      t,
      e,
      0
    ), new _r(e, "XY");
  }
  /**
   * Get the type of this geometry.
   * @return {import("./Geometry.js").Type} Geometry type.
   * @api
   * @override
   */
  getType() {
    return "LinearRing";
  }
  /**
   * Test if the geometry and the passed extent intersect.
   * @param {import("../extent.js").Extent} extent Extent.
   * @return {boolean} `true` if the geometry and the extent intersect.
   * @api
   * @override
   */
  intersectsExtent(t) {
    return !1;
  }
  /**
   * Set the coordinates of the linear ring.
   * @param {!Array<import("../coordinate.js").Coordinate>} coordinates Coordinates.
   * @param {import("./Geometry.js").GeometryLayout} [layout] Layout.
   * @api
   * @override
   */
  setCoordinates(t, e) {
    this.setLayout(e, t, 1), this.flatCoordinates || (this.flatCoordinates = []), this.flatCoordinates.length = Bs(
      this.flatCoordinates,
      0,
      t,
      this.stride
    ), this.changed();
  }
}
function ms(i, t, e, n, r, s, o) {
  let a, l;
  const h = (e - t) / n;
  if (h === 1)
    a = t;
  else if (h === 2)
    a = t, l = r;
  else if (h !== 0) {
    let c = i[t], u = i[t + 1], d = 0;
    const g = [0];
    for (let _ = t + n; _ < e; _ += n) {
      const y = i[_], x = i[_ + 1];
      d += Math.sqrt((y - c) * (y - c) + (x - u) * (x - u)), g.push(d), c = y, u = x;
    }
    const f = r * d, p = Rg(g, f);
    p < 0 ? (l = (f - g[-p - 2]) / (g[-p - 1] - g[-p - 2]), a = t + (-p - 2) * n) : a = t + p * n;
  }
  o = o > 1 ? o : 2, s = s || new Array(o);
  for (let c = 0; c < o; ++c)
    s[c] = a === void 0 ? NaN : l === void 0 ? i[a + c] : oe(i[a + c], i[a + n + c], l);
  return s;
}
function ta(i, t, e, n, r, s) {
  if (e == t)
    return null;
  let o;
  if (r < i[t + n - 1])
    return s ? (o = i.slice(t, t + n), o[n - 1] = r, o) : null;
  if (i[e - 1] < r)
    return s ? (o = i.slice(e - n, e), o[n - 1] = r, o) : null;
  if (r == i[t + n - 1])
    return i.slice(t, t + n);
  let a = t / n, l = e / n;
  for (; a < l; ) {
    const d = a + l >> 1;
    r < i[(d + 1) * n - 1] ? l = d : a = d + 1;
  }
  const h = i[a * n - 1];
  if (r == h)
    return i.slice((a - 1) * n, (a - 1) * n + n);
  const c = i[(a + 1) * n - 1], u = (r - h) / (c - h);
  o = [];
  for (let d = 0; d < n - 1; ++d)
    o.push(
      oe(
        i[(a - 1) * n + d],
        i[a * n + d],
        u
      )
    );
  return o.push(r), o;
}
function Kg(i, t, e, n, r, s, o) {
  if (o)
    return ta(
      i,
      t,
      e[e.length - 1],
      n,
      r,
      s
    );
  let a;
  if (r < i[n - 1])
    return s ? (a = i.slice(0, n), a[n - 1] = r, a) : null;
  if (i[i.length - 1] < r)
    return s ? (a = i.slice(i.length - n), a[n - 1] = r, a) : null;
  for (let l = 0, h = e.length; l < h; ++l) {
    const c = e[l];
    if (t != c) {
      if (r < i[t + n - 1])
        return null;
      if (r <= i[c - 1])
        return ta(
          i,
          t,
          c,
          n,
          r,
          !1
        );
      t = c;
    }
  }
  return null;
}
function Hg(i, t, e, n, r) {
  return !lc(
    r,
    /**
     * @param {import("../../coordinate.js").Coordinate} coordinate Coordinate.
     * @return {boolean} Contains (x, y).
     */
    function(s) {
      return !Mn(
        i,
        t,
        e,
        n,
        s[0],
        s[1]
      );
    }
  );
}
function Mn(i, t, e, n, r, s) {
  let o = 0, a = i[e - n], l = i[e - n + 1];
  for (; t < e; t += n) {
    const h = i[t], c = i[t + 1];
    l <= s ? c > s && (h - a) * (s - l) - (r - a) * (c - l) > 0 && o++ : c <= s && (h - a) * (s - l) - (r - a) * (c - l) < 0 && o--, a = h, l = c;
  }
  return o !== 0;
}
function ka(i, t, e, n, r, s) {
  if (e.length === 0 || !Mn(i, t, e[0], n, r, s))
    return !1;
  for (let o = 1, a = e.length; o < a; ++o)
    if (Mn(i, e[o - 1], e[o], n, r, s))
      return !1;
  return !0;
}
function qg(i, t, e, n, r, s) {
  if (e.length === 0)
    return !1;
  for (let o = 0, a = e.length; o < a; ++o) {
    const l = e[o];
    if (ka(i, t, l, n, r, s))
      return !0;
    t = l[l.length - 1];
  }
  return !1;
}
function Pc(i, t, e, n, r) {
  let s;
  for (t += n; t < e; t += n)
    if (s = r(
      i.slice(t - n, t),
      i.slice(t, t + n)
    ), s)
      return s;
  return !1;
}
function zs(i, t, e, n, r, s) {
  return s = s ?? ac(ce(), i, t, e, n), Yt(r, s) ? s[0] >= r[0] && s[2] <= r[2] || s[1] >= r[1] && s[3] <= r[3] ? !0 : Pc(
    i,
    t,
    e,
    n,
    /**
     * @param {import("../../coordinate.js").Coordinate} point1 Start point.
     * @param {import("../../coordinate.js").Coordinate} point2 End point.
     * @return {boolean} `true` if the segment and the extent intersect,
     *     `false` otherwise.
     */
    function(o, a) {
      return md(r, o, a);
    }
  ) : !1;
}
function Jg(i, t, e, n, r) {
  for (let s = 0, o = e.length; s < o; ++s) {
    if (zs(i, t, e[s], n, r))
      return !0;
    t = e[s];
  }
  return !1;
}
function Ac(i, t, e, n, r) {
  return !!(zs(i, t, e, n, r) || Mn(
    i,
    t,
    e,
    n,
    r[0],
    r[1]
  ) || Mn(
    i,
    t,
    e,
    n,
    r[0],
    r[3]
  ) || Mn(
    i,
    t,
    e,
    n,
    r[2],
    r[1]
  ) || Mn(
    i,
    t,
    e,
    n,
    r[2],
    r[3]
  ));
}
function Fc(i, t, e, n, r) {
  if (!Ac(i, t, e[0], n, r))
    return !1;
  if (e.length === 1)
    return !0;
  for (let s = 1, o = e.length; s < o; ++s)
    if (Hg(
      i,
      e[s - 1],
      e[s],
      n,
      r
    ) && !zs(
      i,
      e[s - 1],
      e[s],
      n,
      r
    ))
      return !1;
  return !0;
}
function Qg(i, t, e, n, r) {
  for (let s = 0, o = e.length; s < o; ++s) {
    const a = e[s];
    if (Fc(i, t, a, n, r))
      return !0;
    t = a[a.length - 1];
  }
  return !1;
}
function Na(i, t, e, n) {
  let r = i[t], s = i[t + 1], o = 0;
  for (let a = t + n; a < e; a += n) {
    const l = i[a], h = i[a + 1];
    o += Math.sqrt((l - r) * (l - r) + (h - s) * (h - s)), r = l, s = h;
  }
  return o;
}
class jt extends Xn {
  /**
   * @param {Array<import("../coordinate.js").Coordinate>|Array<number>} coordinates Coordinates.
   *     For internal use, flat coordinates in combination with `layout` are also accepted.
   * @param {import("./Geometry.js").GeometryLayout} [layout] Layout.
   */
  constructor(t, e) {
    super(), this.flatMidpoint_ = null, this.flatMidpointRevision_ = -1, this.maxDelta_ = -1, this.maxDeltaRevision_ = -1, e !== void 0 && !Array.isArray(t[0]) ? this.setFlatCoordinates(
      e,
      /** @type {Array<number>} */
      t
    ) : this.setCoordinates(
      /** @type {Array<import("../coordinate.js").Coordinate>} */
      t,
      e
    );
  }
  /**
   * Append the passed coordinate to the coordinates of the linestring.
   * @param {import("../coordinate.js").Coordinate} coordinate Coordinate.
   * @api
   */
  appendCoordinate(t) {
    Ge(this.flatCoordinates, t), this.changed();
  }
  /**
   * Make a complete copy of the geometry.
   * @return {!LineString} Clone.
   * @api
   * @override
   */
  clone() {
    const t = new jt(
      this.flatCoordinates.slice(),
      this.layout
    );
    return t.applyProperties(this), t;
  }
  /**
   * @param {number} x X.
   * @param {number} y Y.
   * @param {import("../coordinate.js").Coordinate} closestPoint Closest point.
   * @param {number} minSquaredDistance Minimum squared distance.
   * @return {number} Minimum squared distance.
   * @override
   */
  closestPointXY(t, e, n, r) {
    return r < Vn(this.getExtent(), t, e) ? r : (this.maxDeltaRevision_ != this.getRevision() && (this.maxDelta_ = Math.sqrt(
      Ia(
        this.flatCoordinates,
        0,
        this.flatCoordinates.length,
        this.stride,
        0
      )
    ), this.maxDeltaRevision_ = this.getRevision()), La(
      this.flatCoordinates,
      0,
      this.flatCoordinates.length,
      this.stride,
      this.maxDelta_,
      !1,
      t,
      e,
      n,
      r
    ));
  }
  /**
   * Iterate over each segment, calling the provided callback.
   * If the callback returns a truthy value the function returns that
   * value immediately. Otherwise the function returns `false`.
   *
   * @param {function(this: S, import("../coordinate.js").Coordinate, import("../coordinate.js").Coordinate): T} callback Function
   *     called for each segment. The function will receive two arguments, the start and end coordinates of the segment.
   * @return {T|boolean} Value.
   * @template T,S
   * @api
   */
  forEachSegment(t) {
    return Pc(
      this.flatCoordinates,
      0,
      this.flatCoordinates.length,
      this.stride,
      t
    );
  }
  /**
   * Returns the coordinate at `m` using linear interpolation, or `null` if no
   * such coordinate exists.
   *
   * `extrapolate` controls extrapolation beyond the range of Ms in the
   * MultiLineString. If `extrapolate` is `true` then Ms less than the first
   * M will return the first coordinate and Ms greater than the last M will
   * return the last coordinate.
   *
   * @param {number} m M.
   * @param {boolean} [extrapolate] Extrapolate. Default is `false`.
   * @return {import("../coordinate.js").Coordinate|null} Coordinate.
   * @api
   */
  getCoordinateAtM(t, e) {
    return this.layout != "XYM" && this.layout != "XYZM" ? null : (e = e !== void 0 ? e : !1, ta(
      this.flatCoordinates,
      0,
      this.flatCoordinates.length,
      this.stride,
      t,
      e
    ));
  }
  /**
   * Return the coordinates of the linestring.
   * @return {Array<import("../coordinate.js").Coordinate>} Coordinates.
   * @api
   * @override
   */
  getCoordinates() {
    return mn(
      this.flatCoordinates,
      0,
      this.flatCoordinates.length,
      this.stride
    );
  }
  /**
   * Return the coordinate at the provided fraction along the linestring.
   * The `fraction` is a number between 0 and 1, where 0 is the start of the
   * linestring and 1 is the end.
   * @param {number} fraction Fraction.
   * @param {import("../coordinate.js").Coordinate} [dest] Optional coordinate whose values will
   *     be modified. If not provided, a new coordinate will be returned.
   * @return {import("../coordinate.js").Coordinate} Coordinate of the interpolated point.
   * @api
   */
  getCoordinateAt(t, e) {
    return ms(
      this.flatCoordinates,
      0,
      this.flatCoordinates.length,
      this.stride,
      t,
      e,
      this.stride
    );
  }
  /**
   * Return the length of the linestring on projected plane.
   * @return {number} Length (on projected plane).
   * @api
   */
  getLength() {
    return Na(
      this.flatCoordinates,
      0,
      this.flatCoordinates.length,
      this.stride
    );
  }
  /**
   * @return {Array<number>} Flat midpoint.
   */
  getFlatMidpoint() {
    return this.flatMidpointRevision_ != this.getRevision() && (this.flatMidpoint_ = this.getCoordinateAt(
      0.5,
      this.flatMidpoint_ ?? void 0
    ), this.flatMidpointRevision_ = this.getRevision()), /** @type {Array<number>} */
    this.flatMidpoint_;
  }
  /**
   * @param {number} squaredTolerance Squared tolerance.
   * @return {LineString} Simplified LineString.
   * @protected
   * @override
   */
  getSimplifiedGeometryInternal(t) {
    const e = [];
    return e.length = Us(
      this.flatCoordinates,
      0,
      this.flatCoordinates.length,
      this.stride,
      t,
      e,
      0
    ), new jt(e, "XY");
  }
  /**
   * Get the type of this geometry.
   * @return {import("./Geometry.js").Type} Geometry type.
   * @api
   * @override
   */
  getType() {
    return "LineString";
  }
  /**
   * Test if the geometry and the passed extent intersect.
   * @param {import("../extent.js").Extent} extent Extent.
   * @return {boolean} `true` if the geometry and the extent intersect.
   * @api
   * @override
   */
  intersectsExtent(t) {
    return zs(
      this.flatCoordinates,
      0,
      this.flatCoordinates.length,
      this.stride,
      t,
      this.getExtent()
    );
  }
  /**
   * Set the coordinates of the linestring.
   * @param {!Array<import("../coordinate.js").Coordinate>} coordinates Coordinates.
   * @param {import("./Geometry.js").GeometryLayout} [layout] Layout.
   * @api
   * @override
   */
  setCoordinates(t, e) {
    this.setLayout(e, t, 1), this.flatCoordinates || (this.flatCoordinates = []), this.flatCoordinates.length = Bs(
      this.flatCoordinates,
      0,
      t,
      this.stride
    ), this.changed();
  }
}
class pr extends Xn {
  /**
   * @param {Array<Array<import("../coordinate.js").Coordinate>|LineString>|Array<number>} coordinates
   *     Coordinates or LineString geometries. (For internal use, flat coordinates in
   *     combination with `layout` and `ends` are also accepted.)
   * @param {import("./Geometry.js").GeometryLayout} [layout] Layout.
   * @param {Array<number>} [ends] Flat coordinate ends for internal use.
   */
  constructor(t, e, n) {
    if (super(), this.ends_ = [], this.maxDelta_ = -1, this.maxDeltaRevision_ = -1, Array.isArray(t[0]))
      this.setCoordinates(
        /** @type {Array<Array<import("../coordinate.js").Coordinate>>} */
        t,
        e
      );
    else if (e !== void 0 && n)
      this.setFlatCoordinates(
        e,
        /** @type {Array<number>} */
        t
      ), this.ends_ = n;
    else {
      const r = (
        /** @type {Array<LineString>} */
        t
      ), s = [], o = [];
      for (let l = 0, h = r.length; l < h; ++l) {
        const c = r[l];
        Ge(s, c.getFlatCoordinates()), o.push(s.length);
      }
      const a = r.length === 0 ? this.getLayout() : r[0].getLayout();
      this.setFlatCoordinates(a, s), this.ends_ = o;
    }
  }
  /**
   * Append the passed linestring to the multilinestring.
   * @param {LineString} lineString LineString.
   * @api
   */
  appendLineString(t) {
    Ge(this.flatCoordinates, t.getFlatCoordinates().slice()), this.ends_.push(this.flatCoordinates.length), this.changed();
  }
  /**
   * Make a complete copy of the geometry.
   * @return {!MultiLineString} Clone.
   * @api
   * @override
   */
  clone() {
    const t = new pr(
      this.flatCoordinates.slice(),
      this.layout,
      this.ends_.slice()
    );
    return t.applyProperties(this), t;
  }
  /**
   * @param {number} x X.
   * @param {number} y Y.
   * @param {import("../coordinate.js").Coordinate} closestPoint Closest point.
   * @param {number} minSquaredDistance Minimum squared distance.
   * @return {number} Minimum squared distance.
   * @override
   */
  closestPointXY(t, e, n, r) {
    return r < Vn(this.getExtent(), t, e) ? r : (this.maxDeltaRevision_ != this.getRevision() && (this.maxDelta_ = Math.sqrt(
      Ma(
        this.flatCoordinates,
        0,
        this.ends_,
        this.stride,
        0
      )
    ), this.maxDeltaRevision_ = this.getRevision()), Da(
      this.flatCoordinates,
      0,
      this.ends_,
      this.stride,
      this.maxDelta_,
      !1,
      t,
      e,
      n,
      r
    ));
  }
  /**
   * Returns the coordinate at `m` using linear interpolation, or `null` if no
   * such coordinate exists.
   *
   * `extrapolate` controls extrapolation beyond the range of Ms in the
   * MultiLineString. If `extrapolate` is `true` then Ms less than the first
   * M will return the first coordinate and Ms greater than the last M will
   * return the last coordinate.
   *
   * `interpolate` controls interpolation between consecutive LineStrings
   * within the MultiLineString. If `interpolate` is `true` the coordinates
   * will be linearly interpolated between the last coordinate of one LineString
   * and the first coordinate of the next LineString.  If `interpolate` is
   * `false` then the function will return `null` for Ms falling between
   * LineStrings.
   *
   * @param {number} m M.
   * @param {boolean} [extrapolate] Extrapolate. Default is `false`.
   * @param {boolean} [interpolate] Interpolate. Default is `false`.
   * @return {import("../coordinate.js").Coordinate|null} Coordinate.
   * @api
   */
  getCoordinateAtM(t, e, n) {
    return this.layout != "XYM" && this.layout != "XYZM" || this.flatCoordinates.length === 0 ? null : (e = e !== void 0 ? e : !1, n = n !== void 0 ? n : !1, Kg(
      this.flatCoordinates,
      0,
      this.ends_,
      this.stride,
      t,
      e,
      n
    ));
  }
  /**
   * Return the coordinates of the multilinestring.
   * @return {Array<Array<import("../coordinate.js").Coordinate>>} Coordinates.
   * @api
   * @override
   */
  getCoordinates() {
    return fr(
      this.flatCoordinates,
      0,
      this.ends_,
      this.stride
    );
  }
  /**
   * @return {Array<number>} Ends.
   */
  getEnds() {
    return this.ends_;
  }
  /**
   * Return the linestring at the specified index.
   * @param {number} index Index.
   * @return {LineString} LineString.
   * @api
   */
  getLineString(t) {
    return t < 0 || this.ends_.length <= t ? null : new jt(
      this.flatCoordinates.slice(
        t === 0 ? 0 : this.ends_[t - 1],
        this.ends_[t]
      ),
      this.layout
    );
  }
  /**
   * Return the linestrings of this multilinestring.
   * @return {Array<LineString>} LineStrings.
   * @api
   */
  getLineStrings() {
    const t = this.flatCoordinates, e = this.ends_, n = this.layout, r = [];
    let s = 0;
    for (let o = 0, a = e.length; o < a; ++o) {
      const l = e[o], h = new jt(
        t.slice(s, l),
        n
      );
      r.push(h), s = l;
    }
    return r;
  }
  /**
   * Return the sum of all line string lengths
   * @return {number} Length (on projected plane).
   * @api
   */
  getLength() {
    const t = this.ends_;
    let e = 0, n = 0;
    for (let r = 0, s = t.length; r < s; ++r)
      n += Na(
        this.flatCoordinates,
        e,
        t[r],
        this.stride
      ), e = t[r];
    return n;
  }
  /**
   * @return {Array<number>} Flat midpoints.
   */
  getFlatMidpoints() {
    const t = [], e = this.flatCoordinates;
    let n = 0;
    const r = this.ends_, s = this.stride;
    for (let o = 0, a = r.length; o < a; ++o) {
      const l = r[o], h = ms(
        e,
        n,
        l,
        s,
        0.5
      );
      Ge(t, h), n = l;
    }
    return t;
  }
  /**
   * @param {number} squaredTolerance Squared tolerance.
   * @return {MultiLineString} Simplified MultiLineString.
   * @protected
   * @override
   */
  getSimplifiedGeometryInternal(t) {
    const e = [], n = [];
    return e.length = bc(
      this.flatCoordinates,
      0,
      this.ends_,
      this.stride,
      t,
      e,
      0,
      n
    ), new pr(e, "XY", n);
  }
  /**
   * Get the type of this geometry.
   * @return {import("./Geometry.js").Type} Geometry type.
   * @api
   * @override
   */
  getType() {
    return "MultiLineString";
  }
  /**
   * Test if the geometry and the passed extent intersect.
   * @param {import("../extent.js").Extent} extent Extent.
   * @return {boolean} `true` if the geometry and the extent intersect.
   * @api
   * @override
   */
  intersectsExtent(t) {
    return Jg(
      this.flatCoordinates,
      0,
      this.ends_,
      this.stride,
      t
    );
  }
  /**
   * Set the coordinates of the multilinestring.
   * @param {!Array<Array<import("../coordinate.js").Coordinate>>} coordinates Coordinates.
   * @param {import("./Geometry.js").GeometryLayout} [layout] Layout.
   * @api
   * @override
   */
  setCoordinates(t, e) {
    this.setLayout(e, t, 2), this.flatCoordinates || (this.flatCoordinates = []);
    const n = Dr(
      this.flatCoordinates,
      0,
      t,
      this.stride,
      this.ends_
    );
    this.flatCoordinates.length = n.length === 0 ? 0 : n[n.length - 1], this.changed();
  }
}
class Ht extends Xn {
  /**
   * @param {import("../coordinate.js").Coordinate} coordinates Coordinates.
   * @param {import("./Geometry.js").GeometryLayout} [layout] Layout.
   */
  constructor(t, e) {
    super(), this.setCoordinates(t, e);
  }
  /**
   * Make a complete copy of the geometry.
   * @return {!Point} Clone.
   * @api
   * @override
   */
  clone() {
    const t = new Ht(this.flatCoordinates.slice(), this.layout);
    return t.applyProperties(this), t;
  }
  /**
   * @param {number} x X.
   * @param {number} y Y.
   * @param {import("../coordinate.js").Coordinate} closestPoint Closest point.
   * @param {number} minSquaredDistance Minimum squared distance.
   * @return {number} Minimum squared distance.
   * @override
   */
  closestPointXY(t, e, n, r) {
    const s = this.flatCoordinates, o = tn(
      t,
      e,
      s[0],
      s[1]
    );
    if (o < r) {
      const a = this.stride;
      for (let l = 0; l < a; ++l)
        n[l] = s[l];
      return n.length = a, o;
    }
    return r;
  }
  /**
   * Return the coordinate of the point.
   * @return {import("../coordinate.js").Coordinate} Coordinates.
   * @api
   * @override
   */
  getCoordinates() {
    return this.flatCoordinates.slice();
  }
  /**
   * @param {import("../extent.js").Extent} extent Extent.
   * @protected
   * @return {import("../extent.js").Extent} extent Extent.
   * @override
   */
  computeExtent(t) {
    return Qi(this.flatCoordinates, t);
  }
  /**
   * Get the type of this geometry.
   * @return {import("./Geometry.js").Type} Geometry type.
   * @api
   * @override
   */
  getType() {
    return "Point";
  }
  /**
   * Test if the geometry and the passed extent intersect.
   * @param {import("../extent.js").Extent} extent Extent.
   * @return {boolean} `true` if the geometry and the extent intersect.
   * @api
   * @override
   */
  intersectsExtent(t) {
    return xa(t, this.flatCoordinates[0], this.flatCoordinates[1]);
  }
  /**
   * @param {!Array<*>} coordinates Coordinates.
   * @param {import("./Geometry.js").GeometryLayout} [layout] Layout.
   * @api
   * @override
   */
  setCoordinates(t, e) {
    this.setLayout(e, t, 0), this.flatCoordinates || (this.flatCoordinates = []), this.flatCoordinates.length = jg(
      this.flatCoordinates,
      0,
      t,
      this.stride
    ), this.changed();
  }
}
class Or extends Xn {
  /**
   * @param {Array<import("../coordinate.js").Coordinate>|Array<number>} coordinates Coordinates.
   *     For internal use, flat coordinates in combination with `layout` are also accepted.
   * @param {import("./Geometry.js").GeometryLayout} [layout] Layout.
   */
  constructor(t, e) {
    super(), e && !Array.isArray(t[0]) ? this.setFlatCoordinates(
      e,
      /** @type {Array<number>} */
      t
    ) : this.setCoordinates(
      /** @type {Array<import("../coordinate.js").Coordinate>} */
      t,
      e
    );
  }
  /**
   * Append the passed point to this multipoint.
   * @param {Point} point Point.
   * @api
   */
  appendPoint(t) {
    Ge(this.flatCoordinates, t.getFlatCoordinates()), this.changed();
  }
  /**
   * Make a complete copy of the geometry.
   * @return {!MultiPoint} Clone.
   * @api
   * @override
   */
  clone() {
    const t = new Or(
      this.flatCoordinates.slice(),
      this.layout
    );
    return t.applyProperties(this), t;
  }
  /**
   * @param {number} x X.
   * @param {number} y Y.
   * @param {import("../coordinate.js").Coordinate} closestPoint Closest point.
   * @param {number} minSquaredDistance Minimum squared distance.
   * @return {number} Minimum squared distance.
   * @override
   */
  closestPointXY(t, e, n, r) {
    if (r < Vn(this.getExtent(), t, e))
      return r;
    const s = this.flatCoordinates, o = this.stride;
    for (let a = 0, l = s.length; a < l; a += o) {
      const h = tn(
        t,
        e,
        s[a],
        s[a + 1]
      );
      if (h < r) {
        r = h;
        for (let c = 0; c < o; ++c)
          n[c] = s[a + c];
        n.length = o;
      }
    }
    return r;
  }
  /**
   * Return the coordinates of the multipoint.
   * @return {Array<import("../coordinate.js").Coordinate>} Coordinates.
   * @api
   * @override
   */
  getCoordinates() {
    return mn(
      this.flatCoordinates,
      0,
      this.flatCoordinates.length,
      this.stride
    );
  }
  /**
   * Return the point at the specified index.
   * @param {number} index Index.
   * @return {Point} Point.
   * @api
   */
  getPoint(t) {
    const e = this.flatCoordinates.length / this.stride;
    return t < 0 || e <= t ? null : new Ht(
      this.flatCoordinates.slice(
        t * this.stride,
        (t + 1) * this.stride
      ),
      this.layout
    );
  }
  /**
   * Return the points of this multipoint.
   * @return {Array<Point>} Points.
   * @api
   */
  getPoints() {
    const t = this.flatCoordinates, e = this.layout, n = this.stride, r = [];
    for (let s = 0, o = t.length; s < o; s += n) {
      const a = new Ht(t.slice(s, s + n), e);
      r.push(a);
    }
    return r;
  }
  /**
   * Get the type of this geometry.
   * @return {import("./Geometry.js").Type} Geometry type.
   * @api
   * @override
   */
  getType() {
    return "MultiPoint";
  }
  /**
   * Test if the geometry and the passed extent intersect.
   * @param {import("../extent.js").Extent} extent Extent.
   * @return {boolean} `true` if the geometry and the extent intersect.
   * @api
   * @override
   */
  intersectsExtent(t) {
    const e = this.flatCoordinates, n = this.stride;
    for (let r = 0, s = e.length; r < s; r += n) {
      const o = e[r], a = e[r + 1];
      if (xa(t, o, a))
        return !0;
    }
    return !1;
  }
  /**
   * Set the coordinates of the multipoint.
   * @param {!Array<import("../coordinate.js").Coordinate>} coordinates Coordinates.
   * @param {import("./Geometry.js").GeometryLayout} [layout] Layout.
   * @api
   * @override
   */
  setCoordinates(t, e) {
    this.setLayout(e, t, 1), this.flatCoordinates || (this.flatCoordinates = []), this.flatCoordinates.length = Bs(
      this.flatCoordinates,
      0,
      t,
      this.stride
    ), this.changed();
  }
}
function Ga(i, t, e, n, r, s, o) {
  let a, l, h, c, u, d, g;
  const f = r[s + 1], p = [];
  for (let x = 0, E = e.length; x < E; ++x) {
    const v = e[x];
    for (c = i[v - n], d = i[v - n + 1], a = t; a < v; a += n)
      u = i[a], g = i[a + 1], (f <= d && g <= f || d <= f && f <= g) && (h = (f - d) / (g - d) * (u - c) + c, p.push(h)), c = u, d = g;
  }
  let _ = NaN, y = -1 / 0;
  for (p.sort(en), c = p[0], a = 1, l = p.length; a < l; ++a) {
    u = p[a];
    const x = Math.abs(u - c);
    x > y && (h = (c + u) / 2, ka(i, t, e, n, h, f) && (_ = h, y = x)), c = u;
  }
  return isNaN(_) && (_ = r[s]), o ? (o.push(_, f, y), o) : [_, f, y];
}
function Ic(i, t, e, n, r) {
  let s = [];
  for (let o = 0, a = e.length; o < a; ++o) {
    const l = e[o];
    s = Ga(
      i,
      t,
      l,
      n,
      r,
      2 * o,
      s
    ), t = l[l.length - 1];
  }
  return s;
}
function tf(i, t, e, n) {
  for (; t < e - n; ) {
    for (let r = 0; r < n; ++r) {
      const s = i[t + r];
      i[t + r] = i[e - n + r], i[e - n + r] = s;
    }
    t += n, e -= n;
  }
}
function Ba(i, t, e, n) {
  let r = 0, s = i[e - n], o = i[e - n + 1];
  for (; t < e; t += n) {
    const a = i[t], l = i[t + 1];
    r += (a - s) * (l + o), s = a, o = l;
  }
  return r === 0 ? void 0 : r > 0;
}
function Ua(i, t, e, n, r) {
  r = r !== void 0 ? r : !1;
  for (let s = 0, o = e.length; s < o; ++s) {
    const a = e[s], l = Ba(
      i,
      t,
      a,
      n
    );
    if (s === 0) {
      if (r && l || !r && !l)
        return !1;
    } else if (r && !l || !r && l)
      return !1;
    t = a;
  }
  return !0;
}
function Mc(i, t, e, n, r) {
  for (let s = 0, o = e.length; s < o; ++s) {
    const a = e[s];
    if (!Ua(i, t, a, n, r))
      return !1;
    a.length && (t = a[a.length - 1]);
  }
  return !0;
}
function ys(i, t, e, n, r) {
  r = r !== void 0 ? r : !1;
  for (let s = 0, o = e.length; s < o; ++s) {
    const a = e[s], l = Ba(
      i,
      t,
      a,
      n
    );
    (s === 0 ? r && l || !r && !l : r && !l || !r && l) && tf(i, t, a, n), t = a;
  }
  return t;
}
function ea(i, t, e, n, r) {
  for (let s = 0, o = e.length; s < o; ++s)
    t = ys(
      i,
      t,
      e[s],
      n,
      r
    );
  return t;
}
function Lc(i, t) {
  const e = [];
  let n = 0, r = 0, s;
  for (let o = 0, a = t.length; o < a; ++o) {
    const l = t[o], h = Ba(i, n, l, 2);
    if (s === void 0 && (s = h), h === s)
      e.push(t.slice(r, o + 1));
    else {
      if (e.length === 0)
        continue;
      e[e.length - 1].push(t[r]);
    }
    r = o + 1, n = l;
  }
  return e;
}
class ie extends Xn {
  /**
   * @param {!Array<Array<import("../coordinate.js").Coordinate>>|!Array<number>} coordinates
   *     Array of linear rings that define the polygon. The first linear ring of the
   *     array defines the outer-boundary or surface of the polygon. Each subsequent
   *     linear ring defines a hole in the surface of the polygon. A linear ring is
   *     an array of vertices' coordinates where the first coordinate and the last are
   *     equivalent. (For internal use, flat coordinates in combination with
   *     `layout` and `ends` are also accepted.)
   * @param {import("./Geometry.js").GeometryLayout} [layout] Layout.
   * @param {Array<number>} [ends] Ends (for internal use with flat coordinates).
   */
  constructor(t, e, n) {
    super(), this.ends_ = [], this.flatInteriorPointRevision_ = -1, this.flatInteriorPoint_ = null, this.maxDelta_ = -1, this.maxDeltaRevision_ = -1, this.orientedRevision_ = -1, this.orientedFlatCoordinates_ = null, e !== void 0 && n ? (this.setFlatCoordinates(
      e,
      /** @type {Array<number>} */
      t
    ), this.ends_ = n) : this.setCoordinates(
      /** @type {Array<Array<import("../coordinate.js").Coordinate>>} */
      t,
      e
    );
  }
  /**
   * Append the passed linear ring to this polygon.
   * @param {LinearRing} linearRing Linear ring.
   * @api
   */
  appendLinearRing(t) {
    this.flatCoordinates ? Ge(this.flatCoordinates, t.getFlatCoordinates()) : this.flatCoordinates = t.getFlatCoordinates().slice(), this.ends_.push(this.flatCoordinates.length), this.changed();
  }
  /**
   * Make a complete copy of the geometry.
   * @return {!Polygon} Clone.
   * @api
   * @override
   */
  clone() {
    const t = new ie(
      this.flatCoordinates.slice(),
      this.layout,
      this.ends_.slice()
    );
    return t.applyProperties(this), t;
  }
  /**
   * @param {number} x X.
   * @param {number} y Y.
   * @param {import("../coordinate.js").Coordinate} closestPoint Closest point.
   * @param {number} minSquaredDistance Minimum squared distance.
   * @return {number} Minimum squared distance.
   * @override
   */
  closestPointXY(t, e, n, r) {
    return r < Vn(this.getExtent(), t, e) ? r : (this.maxDeltaRevision_ != this.getRevision() && (this.maxDelta_ = Math.sqrt(
      Ma(
        this.flatCoordinates,
        0,
        this.ends_,
        this.stride,
        0
      )
    ), this.maxDeltaRevision_ = this.getRevision()), Da(
      this.flatCoordinates,
      0,
      this.ends_,
      this.stride,
      this.maxDelta_,
      !0,
      t,
      e,
      n,
      r
    ));
  }
  /**
   * @param {number} x X.
   * @param {number} y Y.
   * @return {boolean} Contains (x, y).
   * @override
   */
  containsXY(t, e) {
    return ka(
      this.getOrientedFlatCoordinates(),
      0,
      this.ends_,
      this.stride,
      t,
      e
    );
  }
  /**
   * Return the area of the polygon on projected plane.
   * @return {number} Area (on projected plane).
   * @api
   */
  getArea() {
    return Rc(
      this.getOrientedFlatCoordinates(),
      0,
      this.ends_,
      this.stride
    );
  }
  /**
   * Get the coordinate array for this geometry.  This array has the structure
   * of a GeoJSON coordinate array for polygons.
   *
   * @param {boolean} [right] Orient coordinates according to the right-hand
   *     rule (counter-clockwise for exterior and clockwise for interior rings).
   *     If `false`, coordinates will be oriented according to the left-hand rule
   *     (clockwise for exterior and counter-clockwise for interior rings).
   *     By default, coordinate orientation will depend on how the geometry was
   *     constructed.
   * @return {Array<Array<import("../coordinate.js").Coordinate>>} Coordinates.
   * @api
   * @override
   */
  getCoordinates(t) {
    let e;
    return t !== void 0 ? (e = this.getOrientedFlatCoordinates().slice(), ys(e, 0, this.ends_, this.stride, t)) : e = this.flatCoordinates, fr(e, 0, this.ends_, this.stride);
  }
  /**
   * @return {Array<number>} Ends.
   */
  getEnds() {
    return this.ends_;
  }
  /**
   * @return {Array<number>} Interior point.
   */
  getFlatInteriorPoint() {
    if (this.flatInteriorPointRevision_ != this.getRevision()) {
      const t = Ue(this.getExtent());
      this.flatInteriorPoint_ = Ga(
        this.getOrientedFlatCoordinates(),
        0,
        this.ends_,
        this.stride,
        t,
        0
      ), this.flatInteriorPointRevision_ = this.getRevision();
    }
    return (
      /** @type {import("../coordinate.js").Coordinate} */
      this.flatInteriorPoint_
    );
  }
  /**
   * Return an interior point of the polygon.
   * @return {Point} Interior point as XYM coordinate, where M is the
   * length of the horizontal intersection that the point belongs to.
   * @api
   */
  getInteriorPoint() {
    return new Ht(this.getFlatInteriorPoint(), "XYM");
  }
  /**
   * Return the number of rings of the polygon,  this includes the exterior
   * ring and any interior rings.
   *
   * @return {number} Number of rings.
   * @api
   */
  getLinearRingCount() {
    return this.ends_.length;
  }
  /**
   * Return the Nth linear ring of the polygon geometry. Return `null` if the
   * given index is out of range.
   * The exterior linear ring is available at index `0` and the interior rings
   * at index `1` and beyond.
   *
   * @param {number} index Index.
   * @return {LinearRing|null} Linear ring.
   * @api
   */
  getLinearRing(t) {
    return t < 0 || this.ends_.length <= t ? null : new _r(
      this.flatCoordinates.slice(
        t === 0 ? 0 : this.ends_[t - 1],
        this.ends_[t]
      ),
      this.layout
    );
  }
  /**
   * Return the linear rings of the polygon.
   * @return {Array<LinearRing>} Linear rings.
   * @api
   */
  getLinearRings() {
    const t = this.layout, e = this.flatCoordinates, n = this.ends_, r = [];
    let s = 0;
    for (let o = 0, a = n.length; o < a; ++o) {
      const l = n[o], h = new _r(
        e.slice(s, l),
        t
      );
      r.push(h), s = l;
    }
    return r;
  }
  /**
   * @return {Array<number>} Oriented flat coordinates.
   */
  getOrientedFlatCoordinates() {
    if (this.orientedRevision_ != this.getRevision()) {
      const t = this.flatCoordinates;
      Ua(t, 0, this.ends_, this.stride) ? this.orientedFlatCoordinates_ = t : (this.orientedFlatCoordinates_ = t.slice(), this.orientedFlatCoordinates_.length = ys(
        this.orientedFlatCoordinates_,
        0,
        this.ends_,
        this.stride
      )), this.orientedRevision_ = this.getRevision();
    }
    return (
      /** @type {Array<number>} */
      this.orientedFlatCoordinates_
    );
  }
  /**
   * @param {number} squaredTolerance Squared tolerance.
   * @return {Polygon} Simplified Polygon.
   * @protected
   * @override
   */
  getSimplifiedGeometryInternal(t) {
    const e = [], n = [];
    return e.length = Oa(
      this.flatCoordinates,
      0,
      this.ends_,
      this.stride,
      Math.sqrt(t),
      e,
      0,
      n
    ), new ie(e, "XY", n);
  }
  /**
   * Get the type of this geometry.
   * @return {import("./Geometry.js").Type} Geometry type.
   * @api
   * @override
   */
  getType() {
    return "Polygon";
  }
  /**
   * Test if the geometry and the passed extent intersect.
   * @param {import("../extent.js").Extent} extent Extent.
   * @return {boolean} `true` if the geometry and the extent intersect.
   * @api
   * @override
   */
  intersectsExtent(t) {
    return Fc(
      this.getOrientedFlatCoordinates(),
      0,
      this.ends_,
      this.stride,
      t
    );
  }
  /**
   * Set the coordinates of the polygon.
   * @param {!Array<Array<import("../coordinate.js").Coordinate>>} coordinates Coordinates.
   * @param {import("./Geometry.js").GeometryLayout} [layout] Layout.
   * @api
   * @override
   */
  setCoordinates(t, e) {
    this.setLayout(e, t, 2), this.flatCoordinates || (this.flatCoordinates = []);
    const n = Dr(
      this.flatCoordinates,
      0,
      t,
      this.stride,
      this.ends_
    );
    this.flatCoordinates.length = n.length === 0 ? 0 : n[n.length - 1], this.changed();
  }
}
function Kl(i) {
  if (Ri(i))
    throw new Error("Cannot create polygon from empty extent");
  const t = i[0], e = i[1], n = i[2], r = i[3], s = [
    t,
    e,
    t,
    r,
    n,
    r,
    n,
    e,
    t,
    e
  ];
  return new ie(s, "XY", [s.length]);
}
function Dc(i, t, e, n) {
  const r = [];
  let s = ce();
  for (let o = 0, a = e.length; o < a; ++o) {
    const l = e[o];
    s = va(
      i,
      t,
      l[0],
      n
    ), r.push((s[0] + s[2]) / 2, (s[1] + s[3]) / 2), t = l[l.length - 1];
  }
  return r;
}
class mr extends Xn {
  /**
   * @param {Array<Array<Array<import("../coordinate.js").Coordinate>>|Polygon>|Array<number>} coordinates Coordinates.
   *     For internal use, flat coordinates in combination with `layout` and `endss` are also accepted.
   * @param {import("./Geometry.js").GeometryLayout} [layout] Layout.
   * @param {Array<Array<number>>} [endss] Array of ends for internal use with flat coordinates.
   */
  constructor(t, e, n) {
    if (super(), this.endss_ = [], this.flatInteriorPointsRevision_ = -1, this.flatInteriorPoints_ = null, this.maxDelta_ = -1, this.maxDeltaRevision_ = -1, this.orientedRevision_ = -1, this.orientedFlatCoordinates_ = null, !n && !Array.isArray(t[0])) {
      const r = (
        /** @type {Array<Polygon>} */
        t
      ), s = [], o = [];
      for (let a = 0, l = r.length; a < l; ++a) {
        const h = r[a], c = s.length, u = h.getEnds();
        for (let d = 0, g = u.length; d < g; ++d)
          u[d] += c;
        Ge(s, h.getFlatCoordinates()), o.push(u);
      }
      e = r.length === 0 ? this.getLayout() : r[0].getLayout(), t = s, n = o;
    }
    e !== void 0 && n ? (this.setFlatCoordinates(
      e,
      /** @type {Array<number>} */
      t
    ), this.endss_ = n) : this.setCoordinates(
      /** @type {Array<Array<Array<import("../coordinate.js").Coordinate>>>} */
      t,
      e
    );
  }
  /**
   * Append the passed polygon to this multipolygon.
   * @param {Polygon} polygon Polygon.
   * @api
   */
  appendPolygon(t) {
    let e;
    if (!this.flatCoordinates)
      this.flatCoordinates = t.getFlatCoordinates().slice(), e = t.getEnds().slice(), this.endss_.push();
    else {
      const n = this.flatCoordinates.length;
      Ge(this.flatCoordinates, t.getFlatCoordinates()), e = t.getEnds().slice();
      for (let r = 0, s = e.length; r < s; ++r)
        e[r] += n;
    }
    this.endss_.push(e), this.changed();
  }
  /**
   * Make a complete copy of the geometry.
   * @return {!MultiPolygon} Clone.
   * @api
   * @override
   */
  clone() {
    const t = this.endss_.length, e = new Array(t);
    for (let r = 0; r < t; ++r)
      e[r] = this.endss_[r].slice();
    const n = new mr(
      this.flatCoordinates.slice(),
      this.layout,
      e
    );
    return n.applyProperties(this), n;
  }
  /**
   * @param {number} x X.
   * @param {number} y Y.
   * @param {import("../coordinate.js").Coordinate} closestPoint Closest point.
   * @param {number} minSquaredDistance Minimum squared distance.
   * @return {number} Minimum squared distance.
   * @override
   */
  closestPointXY(t, e, n, r) {
    return r < Vn(this.getExtent(), t, e) ? r : (this.maxDeltaRevision_ != this.getRevision() && (this.maxDelta_ = Math.sqrt(
      Wg(
        this.flatCoordinates,
        0,
        this.endss_,
        this.stride,
        0
      )
    ), this.maxDeltaRevision_ = this.getRevision()), Xg(
      this.getOrientedFlatCoordinates(),
      0,
      this.endss_,
      this.stride,
      this.maxDelta_,
      !0,
      t,
      e,
      n,
      r
    ));
  }
  /**
   * @param {number} x X.
   * @param {number} y Y.
   * @return {boolean} Contains (x, y).
   * @override
   */
  containsXY(t, e) {
    return qg(
      this.getOrientedFlatCoordinates(),
      0,
      this.endss_,
      this.stride,
      t,
      e
    );
  }
  /**
   * Return the area of the multipolygon on projected plane.
   * @return {number} Area (on projected plane).
   * @api
   */
  getArea() {
    return Vg(
      this.getOrientedFlatCoordinates(),
      0,
      this.endss_,
      this.stride
    );
  }
  /**
   * Get the coordinate array for this geometry.  This array has the structure
   * of a GeoJSON coordinate array for multi-polygons.
   *
   * @param {boolean} [right] Orient coordinates according to the right-hand
   *     rule (counter-clockwise for exterior and clockwise for interior rings).
   *     If `false`, coordinates will be oriented according to the left-hand rule
   *     (clockwise for exterior and counter-clockwise for interior rings).
   *     By default, coordinate orientation will depend on how the geometry was
   *     constructed.
   * @return {Array<Array<Array<import("../coordinate.js").Coordinate>>>} Coordinates.
   * @api
   * @override
   */
  getCoordinates(t) {
    let e;
    return t !== void 0 ? (e = this.getOrientedFlatCoordinates().slice(), ea(
      e,
      0,
      this.endss_,
      this.stride,
      t
    )) : e = this.flatCoordinates, Qo(
      e,
      0,
      this.endss_,
      this.stride
    );
  }
  /**
   * @return {Array<Array<number>>} Endss.
   */
  getEndss() {
    return this.endss_;
  }
  /**
   * @return {Array<number>} Flat interior points.
   */
  getFlatInteriorPoints() {
    if (this.flatInteriorPointsRevision_ != this.getRevision()) {
      const t = Dc(
        this.flatCoordinates,
        0,
        this.endss_,
        this.stride
      );
      this.flatInteriorPoints_ = Ic(
        this.getOrientedFlatCoordinates(),
        0,
        this.endss_,
        this.stride,
        t
      ), this.flatInteriorPointsRevision_ = this.getRevision();
    }
    return (
      /** @type {Array<number>} */
      this.flatInteriorPoints_
    );
  }
  /**
   * Return the interior points as {@link module:ol/geom/MultiPoint~MultiPoint multipoint}.
   * @return {MultiPoint} Interior points as XYM coordinates, where M is
   * the length of the horizontal intersection that the point belongs to.
   * @api
   */
  getInteriorPoints() {
    return new Or(this.getFlatInteriorPoints().slice(), "XYM");
  }
  /**
   * @return {Array<number>} Oriented flat coordinates.
   */
  getOrientedFlatCoordinates() {
    if (this.orientedRevision_ != this.getRevision()) {
      const t = this.flatCoordinates;
      Mc(t, 0, this.endss_, this.stride) ? this.orientedFlatCoordinates_ = t : (this.orientedFlatCoordinates_ = t.slice(), this.orientedFlatCoordinates_.length = ea(
        this.orientedFlatCoordinates_,
        0,
        this.endss_,
        this.stride
      )), this.orientedRevision_ = this.getRevision();
    }
    return (
      /** @type {Array<number>} */
      this.orientedFlatCoordinates_
    );
  }
  /**
   * @param {number} squaredTolerance Squared tolerance.
   * @return {MultiPolygon} Simplified MultiPolygon.
   * @protected
   * @override
   */
  getSimplifiedGeometryInternal(t) {
    const e = [], n = [];
    return e.length = Zg(
      this.flatCoordinates,
      0,
      this.endss_,
      this.stride,
      Math.sqrt(t),
      e,
      0,
      n
    ), new mr(e, "XY", n);
  }
  /**
   * Return the polygon at the specified index.
   * @param {number} index Index.
   * @return {Polygon} Polygon.
   * @api
   */
  getPolygon(t) {
    if (t < 0 || this.endss_.length <= t)
      return null;
    let e;
    if (t === 0)
      e = 0;
    else {
      const s = this.endss_[t - 1];
      e = s[s.length - 1];
    }
    const n = this.endss_[t].slice(), r = n[n.length - 1];
    if (e !== 0)
      for (let s = 0, o = n.length; s < o; ++s)
        n[s] -= e;
    return new ie(
      this.flatCoordinates.slice(e, r),
      this.layout,
      n
    );
  }
  /**
   * Return the polygons of this multipolygon.
   * @return {Array<Polygon>} Polygons.
   * @api
   */
  getPolygons() {
    const t = this.layout, e = this.flatCoordinates, n = this.endss_, r = [];
    let s = 0;
    for (let o = 0, a = n.length; o < a; ++o) {
      const l = n[o].slice(), h = l[l.length - 1];
      if (s !== 0)
        for (let u = 0, d = l.length; u < d; ++u)
          l[u] -= s;
      const c = new ie(
        e.slice(s, h),
        t,
        l
      );
      r.push(c), s = h;
    }
    return r;
  }
  /**
   * Get the type of this geometry.
   * @return {import("./Geometry.js").Type} Geometry type.
   * @api
   * @override
   */
  getType() {
    return "MultiPolygon";
  }
  /**
   * Test if the geometry and the passed extent intersect.
   * @param {import("../extent.js").Extent} extent Extent.
   * @return {boolean} `true` if the geometry and the extent intersect.
   * @api
   * @override
   */
  intersectsExtent(t) {
    return Qg(
      this.getOrientedFlatCoordinates(),
      0,
      this.endss_,
      this.stride,
      t
    );
  }
  /**
   * Set the coordinates of the multipolygon.
   * @param {!Array<Array<Array<import("../coordinate.js").Coordinate>>>} coordinates Coordinates.
   * @param {import("./Geometry.js").GeometryLayout} [layout] Layout.
   * @api
   * @override
   */
  setCoordinates(t, e) {
    this.setLayout(e, t, 3), this.flatCoordinates || (this.flatCoordinates = []);
    const n = Tc(
      this.flatCoordinates,
      0,
      t,
      this.stride,
      this.endss_
    );
    if (n.length === 0)
      this.flatCoordinates.length = 0;
    else {
      const r = n[n.length - 1];
      this.flatCoordinates.length = r.length === 0 ? 0 : r[r.length - 1];
    }
    this.changed();
  }
}
const H = {
  IDLE: 0,
  LOADING: 1,
  LOADED: 2,
  ERROR: 3
}, $n = typeof navigator < "u" && typeof navigator.userAgent < "u" ? navigator.userAgent.toLowerCase() : "", ef = $n.includes("safari") && !$n.includes("chrom"), nf = ef && ($n.includes("version/15.4") || /cpu (os|iphone os) 15_4 like mac os x/.test($n)), rf = $n.includes("webkit") && !$n.includes("edge"), Oc = $n.includes("macintosh"), sf = typeof devicePixelRatio < "u" ? devicePixelRatio : 1, le = typeof WorkerGlobalScope < "u" && typeof OffscreenCanvas < "u" && self instanceof WorkerGlobalScope, kc = typeof Image < "u" && Image.prototype.decode, Nc = (function() {
  let i = !1;
  try {
    const t = Object.defineProperty({}, "passive", {
      get: function() {
        i = !0;
      }
    });
    window.addEventListener("_", null, t), window.removeEventListener("_", null, t);
  } catch {
  }
  return i;
})();
function Rt(i, t, e, n) {
  let r;
  return e && e.length ? r = /** @type {HTMLCanvasElement} */
  e.shift() : le ? r = new class extends OffscreenCanvas {
    style = {};
  }(i ?? 300, t ?? 150) : r = document.createElement("canvas"), i && (r.width = i), t && (r.height = t), /** @type {CanvasRenderingContext2D|OffscreenCanvasRenderingContext2D} */
  r.getContext("2d", n);
}
let ao;
function xs() {
  return ao || (ao = Rt(1, 1)), ao;
}
function $s(i) {
  const t = i.canvas;
  t.width = 1, t.height = 1, i.clearRect(0, 0, 1, 1);
}
function Hl(i, t) {
  const e = t.parentNode;
  e && e.replaceChild(i, t);
}
function of(i) {
  for (; i.lastChild; )
    i.lastChild.remove();
}
function af(i, t) {
  const e = i.childNodes;
  for (let n = 0; ; ++n) {
    const r = e[n], s = t[n];
    if (!r && !s)
      break;
    if (r !== s) {
      if (!r) {
        i.appendChild(s);
        continue;
      }
      if (!s) {
        i.removeChild(r), --n;
        continue;
      }
      i.insertBefore(s, r);
    }
  }
}
function Gc() {
  return new Proxy(
    {
      /**
       * @type {Array<HTMLElement>}
       */
      childNodes: [],
      /**
       * @param {HTMLElement} node html node.
       * @return {HTMLElement} html node.
       */
      appendChild: function(i) {
        return this.childNodes.push(i), i;
      },
      /**
       * dummy function, as this structure is not supposed to have a parent.
       */
      remove: function() {
      },
      /**
       * @param {HTMLElement} node html node.
       * @return {HTMLElement} html node.
       */
      removeChild: function(i) {
        const t = this.childNodes.indexOf(i);
        if (t === -1)
          throw new Error("Node to remove was not found");
        return this.childNodes.splice(t, 1), i;
      },
      /**
       * @param {HTMLElement} newNode new html node.
       * @param {HTMLElement} referenceNode reference html node.
       * @return {HTMLElement} new html node.
       */
      insertBefore: function(i, t) {
        const e = this.childNodes.indexOf(t);
        if (e === -1)
          throw new Error("Reference node not found");
        return this.childNodes.splice(e, 0, i), i;
      },
      style: {}
    },
    {
      get(i, t, e) {
        return t === "firstElementChild" ? i.childNodes.length > 0 ? i.childNodes[0] : null : Reflect.get(i, t, e);
      }
    }
  );
}
function yn(i) {
  return typeof HTMLCanvasElement < "u" && i instanceof HTMLCanvasElement || typeof OffscreenCanvas < "u" && i instanceof OffscreenCanvas;
}
const za = [NaN, NaN, NaN, 0];
let lo;
function lf() {
  return lo || (lo = Rt(1, 1, void 0, {
    willReadFrequently: !0,
    desynchronized: !0
  })), lo;
}
const hf = /^rgba?\(\s*(\d+%?)\s+(\d+%?)\s+(\d+%?)(?:\s*\/\s*(\d+%|\d*\.\d+|[01]))?\s*\)$/i, cf = /^rgba?\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)(?:\s*,\s*(\d+%|\d*\.\d+|[01]))?\s*\)$/i, uf = /^rgba?\(\s*(\d+%)\s*,\s*(\d+%)\s*,\s*(\d+%)(?:\s*,\s*(\d+%|\d*\.\d+|[01]))?\s*\)$/i, df = /^#([\da-f]{3,4}|[\da-f]{6}|[\da-f]{8})$/i;
function Zr(i, t) {
  return i.endsWith("%") ? Number(i.substring(0, i.length - 1)) / t : Number(i);
}
function nr(i) {
  throw new Error('failed to parse "' + i + '" as color');
}
function Bc(i) {
  if (i.toLowerCase().startsWith("rgb")) {
    const s = i.match(cf) || i.match(hf) || i.match(uf);
    if (s) {
      const o = s[4], a = 100 / 255;
      return [
        dt(Zr(s[1], a) + 0.5 | 0, 0, 255),
        dt(Zr(s[2], a) + 0.5 | 0, 0, 255),
        dt(Zr(s[3], a) + 0.5 | 0, 0, 255),
        o !== void 0 ? dt(Zr(o, 100), 0, 1) : 1
      ];
    }
    nr(i);
  }
  if (i.startsWith("#")) {
    if (df.test(i)) {
      const s = i.substring(1), o = s.length <= 4 ? 1 : 2, a = [0, 0, 0, 255];
      for (let l = 0, h = s.length; l < h; l += o) {
        let c = parseInt(s.substring(l, l + o), 16);
        o === 1 && (c += c << 4), a[l / o] = c;
      }
      return a[3] = a[3] / 255, a;
    }
    nr(i);
  }
  const t = lf();
  t.fillStyle = "#abcdef";
  let e = t.fillStyle;
  t.fillStyle = i, t.fillStyle === e && (t.fillStyle = "#fedcba", e = t.fillStyle, t.fillStyle = i, t.fillStyle === e && nr(i));
  const n = t.fillStyle;
  if (n.startsWith("#") || n.startsWith("rgba"))
    return Bc(n);
  t.clearRect(0, 0, 1, 1), t.fillRect(0, 0, 1, 1);
  const r = Array.from(t.getImageData(0, 0, 1, 1).data);
  return r[3] = Ar(r[3] / 255, 3), r;
}
function gf(i) {
  return typeof i == "string" ? i : ja(i);
}
const ff = 1024, Ui = {};
let ho = 0;
function _f(i) {
  if (i.length === 4)
    return i;
  const t = i.slice();
  return t[3] = 1, t;
}
function co(i) {
  return i > 31308e-7 ? Math.pow(i, 1 / 2.4) * 269.025 - 14.025 : i * 3294.6;
}
function uo(i) {
  return i > 0.2068965 ? Math.pow(i, 3) : (i - 4 / 29) * (108 / 841);
}
function go(i) {
  return i > 10.314724 ? Math.pow((i + 14.025) / 269.025, 2.4) : i / 3294.6;
}
function fo(i) {
  return i > 88564e-7 ? Math.pow(i, 1 / 3) : i / (108 / 841) + 4 / 29;
}
function ql(i) {
  const t = go(i[0]), e = go(i[1]), n = go(i[2]), r = fo(t * 0.222488403 + e * 0.716873169 + n * 0.06060791), s = 500 * (fo(t * 0.452247074 + e * 0.399439023 + n * 0.148375274) - r), o = 200 * (r - fo(t * 0.016863605 + e * 0.117638439 + n * 0.865350722)), a = Math.atan2(o, s) * (180 / Math.PI);
  return [
    116 * r - 16,
    Math.sqrt(s * s + o * o),
    a < 0 ? a + 360 : a,
    i[3]
  ];
}
function pf(i) {
  const t = (i[0] + 16) / 116, e = i[1], n = i[2] * Math.PI / 180, r = uo(t), s = uo(t + e / 500 * Math.cos(n)), o = uo(t - e / 200 * Math.sin(n)), a = co(s * 3.021973625 - r * 1.617392459 - o * 0.404875592), l = co(s * -0.943766287 + r * 1.916279586 + o * 0.027607165), h = co(s * 0.069407491 - r * 0.22898585 + o * 1.159737864);
  return [
    dt(a + 0.5 | 0, 0, 255),
    dt(l + 0.5 | 0, 0, 255),
    dt(h + 0.5 | 0, 0, 255),
    i[3]
  ];
}
function $a(i) {
  if (i === "none")
    return za;
  if (Ui.hasOwnProperty(i))
    return Ui[i];
  if (ho >= ff) {
    let e = 0;
    for (const n in Ui)
      (e++ & 3) === 0 && (delete Ui[n], --ho);
  }
  const t = Bc(i);
  t.length !== 4 && nr(i);
  for (const e of t)
    isNaN(e) && nr(i);
  return Ui[i] = t, ++ho, t;
}
function Re(i) {
  return Array.isArray(i) ? i : $a(i);
}
function ja(i) {
  let t = i[0];
  t != (t | 0) && (t = t + 0.5 | 0);
  let e = i[1];
  e != (e | 0) && (e = e + 0.5 | 0);
  let n = i[2];
  n != (n | 0) && (n = n + 0.5 | 0);
  const r = i[3] === void 0 ? 1 : Math.round(i[3] * 1e3) / 1e3;
  return "rgba(" + t + "," + e + "," + n + "," + r + ")";
}
function mf(i, t, e) {
  const n = (
    /** @type {HTMLImageElement} */
    i
  );
  let r = !0, s = !1, o = !1;
  const a = [
    ps(n, Y.LOAD, function() {
      o = !0, s || t();
    })
  ];
  return n.src && kc ? (s = !0, n.decode().then(function() {
    r && t();
  }).catch(function(l) {
    r && (o ? t() : e());
  })) : a.push(ps(n, Y.ERROR, e)), function() {
    r = !1, a.forEach(ht);
  };
}
function yf(i, t) {
  return new Promise((e, n) => {
    function r() {
      o(), e(i);
    }
    function s() {
      o(), n(new Error("Image load error"));
    }
    function o() {
      i.removeEventListener("load", r), i.removeEventListener("error", s);
    }
    i.addEventListener("load", r), i.addEventListener("error", s);
  });
}
function xf(i, t) {
  return t && (i.src = t), i.src && kc ? new Promise(
    (e, n) => i.decode().then(() => e(i)).catch(
      (r) => i.complete && i.width ? e(i) : n(r)
    )
  ) : yf(i);
}
class vf {
  constructor() {
    this.cache_ = {}, this.patternCache_ = {}, this.cacheSize_ = 0, this.maxCacheSize_ = 1024;
  }
  /**
   * FIXME empty description for jsdoc
   */
  clear() {
    this.cache_ = {}, this.patternCache_ = {}, this.cacheSize_ = 0;
  }
  /**
   * @return {boolean} Can expire cache.
   */
  canExpireCache() {
    return this.cacheSize_ > this.maxCacheSize_;
  }
  /**
   * FIXME empty description for jsdoc
   */
  expire() {
    if (this.canExpireCache()) {
      let t = 0;
      for (const e in this.cache_) {
        const n = this.cache_[e];
        (t++ & 3) === 0 && !n.hasListener() && (delete this.cache_[e], delete this.patternCache_[e], --this.cacheSize_);
      }
    }
  }
  /**
   * @param {string} src Src.
   * @param {?string} crossOrigin Cross origin.
   * @param {import("../color.js").Color|string|null} color Color.
   * @return {import("./IconImage.js").default} Icon image.
   */
  get(t, e, n) {
    const r = _o(t, e, n);
    return r in this.cache_ ? this.cache_[r] : null;
  }
  /**
   * @param {string} src Src.
   * @param {?string} crossOrigin Cross origin.
   * @param {import("../color.js").Color|string|null} color Color.
   * @return {CanvasPattern} Icon image.
   */
  getPattern(t, e, n) {
    const r = _o(t, e, n);
    return r in this.patternCache_ ? this.patternCache_[r] : null;
  }
  /**
   * @param {string} src Src.
   * @param {?string} crossOrigin Cross origin.
   * @param {import("../color.js").Color|string|null} color Color.
   * @param {import("./IconImage.js").default|null} iconImage Icon image.
   * @param {boolean} [pattern] Also cache a `'repeat'` pattern with this `iconImage`.
   */
  set(t, e, n, r, s) {
    const o = _o(t, e, n), a = o in this.cache_;
    this.cache_[o] = r, s && (r.getImageState() === H.IDLE && r.load(), r.getImageState() === H.LOADING ? r.ready().then(() => {
      this.patternCache_[o] = xs().createPattern(
        r.getImage(1),
        "repeat"
      );
    }) : this.patternCache_[o] = xs().createPattern(
      r.getImage(1),
      "repeat"
    )), a || ++this.cacheSize_;
  }
  /**
   * Set the cache size of the icon cache. Default is `1024`. Change this value when
   * your map uses more than 1024 different icon images and you are not caching icon
   * styles on the application level.
   * @param {number} maxCacheSize Cache max size.
   * @api
   */
  setSize(t) {
    this.maxCacheSize_ = t, this.expire();
  }
}
function _o(i, t, e) {
  const n = e ? Re(e) : "null";
  return t + ":" + i + ":" + n;
}
const he = new vf();
let zi = null;
class Uc extends Gs {
  /**
   * @param {HTMLImageElement|HTMLCanvasElement|OffscreenCanvas|ImageBitmap|null} image Image.
   * @param {string|undefined} src Src.
   * @param {?string} crossOrigin Cross origin.
   * @param {import("../ImageState.js").default|undefined} imageState Image state.
   * @param {import("../color.js").Color|string|null} color Color.
   */
  constructor(t, e, n, r, s) {
    super(), this.hitDetectionImage_ = null, this.image_ = t, this.crossOrigin_ = n, this.canvas_ = {}, this.color_ = s, this.imageState_ = r === void 0 ? H.IDLE : r, this.size_ = t && t.width && t.height ? [t.width, t.height] : null, this.src_ = e, this.tainted_, this.ready_ = null;
  }
  /**
   * @private
   */
  initializeImage_() {
    this.image_ = new Image(), this.crossOrigin_ !== null && (this.image_.crossOrigin = this.crossOrigin_);
  }
  /**
   * @private
   * @return {boolean} The image canvas is tainted.
   */
  isTainted_() {
    if (this.tainted_ === void 0 && this.imageState_ === H.LOADED) {
      zi || (zi = Rt(1, 1, void 0, {
        willReadFrequently: !0
      })), zi.drawImage(this.image_, 0, 0);
      try {
        zi.getImageData(0, 0, 1, 1), this.tainted_ = !1;
      } catch {
        zi = null, this.tainted_ = !0;
      }
    }
    return this.tainted_ === !0;
  }
  /**
   * @private
   */
  dispatchChangeEvent_() {
    this.dispatchEvent(Y.CHANGE);
  }
  /**
   * @private
   */
  handleImageError_() {
    this.imageState_ = H.ERROR, this.dispatchChangeEvent_();
  }
  /**
   * @private
   */
  handleImageLoad_() {
    this.imageState_ = H.LOADED, this.size_ = [this.image_.width, this.image_.height], this.dispatchChangeEvent_();
  }
  /**
   * @param {number} pixelRatio Pixel ratio.
   * @return {HTMLImageElement|HTMLCanvasElement|OffscreenCanvas|ImageBitmap} Image or Canvas element or image bitmap.
   */
  getImage(t) {
    return this.image_ || this.initializeImage_(), this.replaceColor_(t), this.canvas_[t] ? this.canvas_[t] : this.image_;
  }
  /**
   * @param {number} pixelRatio Pixel ratio.
   * @return {number} Image or Canvas element.
   */
  getPixelRatio(t) {
    return this.replaceColor_(t), this.canvas_[t] ? t : 1;
  }
  /**
   * @return {import("../ImageState.js").default} Image state.
   */
  getImageState() {
    return this.imageState_;
  }
  /**
   * @return {HTMLImageElement|HTMLCanvasElement|OffscreenCanvas|ImageBitmap} Image element.
   */
  getHitDetectionImage() {
    if (this.image_ || this.initializeImage_(), !this.hitDetectionImage_)
      if (this.isTainted_()) {
        const t = this.size_[0], e = this.size_[1], n = Rt(t, e);
        n.fillRect(0, 0, t, e), this.hitDetectionImage_ = n.canvas;
      } else
        this.hitDetectionImage_ = this.image_;
    return this.hitDetectionImage_;
  }
  /**
   * Get the size of the icon (in pixels).
   * @return {import("../size.js").Size} Image size.
   */
  getSize() {
    return this.size_;
  }
  /**
   * @return {string|undefined} Image src.
   */
  getSrc() {
    return this.src_;
  }
  /**
   * Load not yet loaded URI.
   */
  load() {
    if (this.imageState_ === H.IDLE) {
      this.image_ || this.initializeImage_(), this.imageState_ = H.LOADING;
      try {
        this.src_ !== void 0 && (this.image_.src = this.src_);
      } catch {
        this.handleImageError_();
      }
      this.image_ instanceof HTMLImageElement && xf(this.image_, this.src_).then((t) => {
        this.image_ = t, this.handleImageLoad_();
      }).catch(this.handleImageError_.bind(this));
    }
  }
  /**
   * @param {number} pixelRatio Pixel ratio.
   * @private
   */
  replaceColor_(t) {
    if (!this.color_ || this.canvas_[t] || this.imageState_ !== H.LOADED)
      return;
    const e = this.image_, n = Rt(
      Math.ceil(e.width * t),
      Math.ceil(e.height * t)
    ), r = n.canvas;
    n.scale(t, t), n.drawImage(e, 0, 0), n.globalCompositeOperation = "multiply", n.fillStyle = gf(this.color_), n.fillRect(0, 0, r.width / t, r.height / t), n.globalCompositeOperation = "destination-in", n.drawImage(e, 0, 0), this.canvas_[t] = r;
  }
  /**
   * @return {Promise<void>} Promise that resolves when the image is loaded.
   */
  ready() {
    return this.ready_ || (this.ready_ = new Promise((t) => {
      if (this.imageState_ === H.LOADED || this.imageState_ === H.ERROR)
        t();
      else {
        const e = () => {
          (this.imageState_ === H.LOADED || this.imageState_ === H.ERROR) && (this.removeEventListener(Y.CHANGE, e), t());
        };
        this.addEventListener(Y.CHANGE, e);
      }
    })), this.ready_;
  }
}
function vs(i, t, e, n, r, s) {
  let o = t === void 0 ? void 0 : he.get(t, e, r);
  return o || (o = new Uc(
    i,
    i && "src" in i ? i.src || void 0 : t,
    e,
    n,
    r
  ), he.set(t, e, r, o, s)), s && o && !he.getPattern(t, e, r) && he.set(t, e, r, o, s), o;
}
function ke(i) {
  return i ? Array.isArray(i) ? ja(i) : typeof i == "object" && "src" in i ? Ef(i) : i : null;
}
function Ef(i) {
  if (!i.offset || !i.size)
    return he.getPattern(i.src, "anonymous", i.color);
  const t = i.src + ":" + i.offset, e = he.getPattern(
    t,
    void 0,
    i.color
  );
  if (e)
    return e;
  const n = he.get(i.src, "anonymous", null);
  if (n.getImageState() !== H.LOADED)
    return null;
  const r = Rt(
    i.size[0],
    i.size[1]
  );
  return r.drawImage(
    n.getImage(1),
    i.offset[0],
    i.offset[1],
    i.size[0],
    i.size[1],
    0,
    0,
    i.size[0],
    i.size[1]
  ), vs(
    r.canvas,
    t,
    void 0,
    H.LOADED,
    i.color,
    !0
  ), he.getPattern(t, void 0, i.color);
}
const Kr = "ol-hidden", js = "ol-unselectable", Va = "ol-control", Jl = "ol-collapsed", Sf = new RegExp(
  [
    "^\\s*(?=(?:(?:[-a-z]+\\s*){0,2}(italic|oblique))?)",
    "(?=(?:(?:[-a-z]+\\s*){0,2}(small-caps))?)",
    "(?=(?:(?:[-a-z]+\\s*){0,2}(bold(?:er)?|lighter|[1-9]00 ))?)",
    "(?:(?:normal|\\1|\\2|\\3)\\s*){0,3}((?:xx?-)?",
    "(?:small|large)|medium|smaller|larger|[\\.\\d]+(?:\\%|in|[cem]m|ex|p[ctx]))",
    "(?:\\s*\\/\\s*(normal|[\\.\\d]+(?:\\%|in|[cem]m|ex|p[ctx])?))",
    `?\\s*([-,\\"\\'\\sa-z0-9]+?)\\s*$`
  ].join(""),
  "i"
), Ql = [
  "style",
  "variant",
  "weight",
  "size",
  "lineHeight",
  "family"
], na = {
  normal: 400,
  bold: 700
}, ia = function(i) {
  const t = i.match(Sf);
  if (!t)
    return null;
  const e = (
    /** @type {FontParameters} */
    {
      lineHeight: "normal",
      size: "1.2em",
      style: "normal",
      weight: "400",
      variant: "normal"
    }
  );
  for (let n = 0, r = Ql.length; n < r; ++n) {
    const s = t[n + 1];
    s !== void 0 && (e[Ql[n]] = typeof s == "string" ? s.trim() : s);
  }
  return isNaN(Number(e.weight)) && e.weight in na && (e.weight = na[e.weight]), e.families = e.family.split(/,\s?/).map((n) => n.trim().replace(/^['"]|['"]$/g, "")), e;
}, zc = "10px sans-serif", Jt = "#000", Ai = "round", nn = [], rn = 0, Fi = "round", yr = 10, xr = "#000", vr = "center", Es = "middle", Ln = [0, 0, 0, 0], Er = 1, ui = new $e();
let $i = null, th;
const ra = {}, Cf = /* @__PURE__ */ new Set([
  "serif",
  "sans-serif",
  "monospace",
  "cursive",
  "fantasy",
  "system-ui",
  "ui-serif",
  "ui-sans-serif",
  "ui-monospace",
  "ui-rounded",
  "emoji",
  "math",
  "fangsong"
]);
function Tf(i, t, e) {
  return `${i} ${t} 16px "${e}"`;
}
const wf = /* @__PURE__ */ (function() {
  let i, t;
  async function e(r) {
    await t.ready;
    const s = await t.load(r);
    if (s.length === 0)
      return !1;
    const o = ia(r), a = o.families[0].toLowerCase(), l = o.weight;
    return s.some(
      /**
       * @param {import('../css.js').FontParameters} f Font.
       * @return {boolean} Font matches.
       */
      (h) => {
        const c = h.family.replace(/^['"]|['"]$/g, "").toLowerCase(), u = na[h.weight] || h.weight;
        return c === a && h.style === o.style && u == l;
      }
    );
  }
  async function n() {
    await t.ready;
    let r = !0;
    const s = ui.getProperties(), o = Object.keys(s).filter(
      (a) => s[a] < 100
    );
    for (let a = o.length - 1; a >= 0; --a) {
      const l = o[a];
      let h = s[l];
      h < 100 && (await e(l) ? (Li(ra), ui.set(l, 100)) : (h += 10, ui.set(l, h, !0), h < 100 && (r = !1)));
    }
    i = void 0, r || (i = setTimeout(n, 100));
  }
  return async function(r) {
    t || (t = le ? self.fonts : document.fonts);
    const s = ia(r);
    if (!s)
      return;
    const o = s.families;
    let a = !1;
    for (const l of o) {
      if (Cf.has(l))
        continue;
      const h = Tf(s.style, s.weight, l);
      ui.get(h) === void 0 && (ui.set(h, 0, !0), a = !0);
    }
    a && (clearTimeout(i), i = setTimeout(n, 100));
  };
})(), Rf = /* @__PURE__ */ (function() {
  let i;
  return function(t) {
    let e = ra[t];
    if (e == null) {
      if (le) {
        const n = ia(t), r = $c(t, "Žg");
        e = (isNaN(Number(n.lineHeight)) ? 1.2 : Number(n.lineHeight)) * (r.actualBoundingBoxAscent + r.actualBoundingBoxDescent);
      } else
        i || (i = document.createElement("div"), i.innerHTML = "M", i.style.minHeight = "0", i.style.maxHeight = "none", i.style.height = "auto", i.style.padding = "0", i.style.border = "none", i.style.position = "absolute", i.style.display = "block", i.style.left = "-99999px"), i.style.font = t, document.body.appendChild(i), e = i.offsetHeight, document.body.removeChild(i);
      ra[t] = e;
    }
    return e;
  };
})();
function $c(i, t) {
  return $i || ($i = Rt(1, 1)), i != th && ($i.font = i, th = $i.font), $i.measureText(t);
}
function jc(i, t) {
  return $c(i, t).width;
}
function eh(i, t, e) {
  if (t in e)
    return e[t];
  const n = t.split(`
`).reduce((r, s) => Math.max(r, jc(i, s)), 0);
  return e[t] = n, n;
}
function bf(i, t) {
  const e = [], n = [], r = [];
  let s = 0, o = 0, a = 0, l = 0;
  for (let h = 0, c = t.length; h <= c; h += 2) {
    const u = t[h];
    if (u === `
` || h === c) {
      s = Math.max(s, o), r.push(o), o = 0, a += l, l = 0;
      continue;
    }
    const d = t[h + 1] || i.font, g = jc(d, u);
    e.push(g), o += g;
    const f = Rf(d);
    n.push(f), l = Math.max(l, f);
  }
  return { width: s, height: a, widths: e, heights: n, lineWidths: r };
}
function Pf(i, t, e, n, r, s, o, a, l, h, c) {
  i.save(), e !== 1 && (i.globalAlpha === void 0 ? i.globalAlpha = (u) => u.globalAlpha *= e : i.globalAlpha *= e), t && i.transform.apply(i, t), /** @type {*} */
  n.contextInstructions ? (i.translate(l, h), i.scale(c[0], c[1]), Af(
    /** @type {Label} */
    n,
    i
  )) : c[0] < 0 || c[1] < 0 ? (i.translate(l, h), i.scale(c[0], c[1]), i.drawImage(
    /** @type {HTMLCanvasElement|HTMLImageElement|HTMLVideoElement} */
    n,
    r,
    s,
    o,
    a,
    0,
    0,
    o,
    a
  )) : i.drawImage(
    /** @type {HTMLCanvasElement|HTMLImageElement|HTMLVideoElement} */
    n,
    r,
    s,
    o,
    a,
    l,
    h,
    o * c[0],
    a * c[1]
  ), i.restore();
}
function Af(i, t) {
  const e = i.contextInstructions;
  for (let n = 0, r = e.length; n < r; n += 2)
    Array.isArray(e[n + 1]) ? t[e[n]].apply(
      t,
      e[n + 1]
    ) : t[e[n]] = e[n + 1];
}
function nh(i) {
  return i[0] > 0 && i[1] > 0;
}
function Ff(i, t, e) {
  return e === void 0 && (e = [0, 0]), e[0] = i[0] * t + 0.5 | 0, e[1] = i[1] * t + 0.5 | 0, e;
}
function Kt(i, t) {
  return Array.isArray(i) ? i : (t === void 0 ? t = [i, i] : (t[0] = i, t[1] = i), t);
}
class Vs {
  /**
   * @param {Options} options Options.
   */
  constructor(t) {
    this.opacity_ = t.opacity, this.rotateWithView_ = t.rotateWithView, this.rotation_ = t.rotation, this.scale_ = t.scale, this.scaleArray_ = Kt(t.scale), this.displacement_ = t.displacement, this.declutterMode_ = t.declutterMode;
  }
  /**
   * Clones the style.
   * @return {ImageStyle} The cloned style.
   * @api
   */
  clone() {
    const t = this.getScale();
    return new Vs({
      opacity: this.getOpacity(),
      scale: Array.isArray(t) ? t.slice() : t,
      rotation: this.getRotation(),
      rotateWithView: this.getRotateWithView(),
      displacement: this.getDisplacement().slice(),
      declutterMode: this.getDeclutterMode()
    });
  }
  /**
   * Get the symbolizer opacity.
   * @return {number} Opacity.
   * @api
   */
  getOpacity() {
    return this.opacity_;
  }
  /**
   * Determine whether the symbolizer rotates with the map.
   * @return {boolean} Rotate with map.
   * @api
   */
  getRotateWithView() {
    return this.rotateWithView_;
  }
  /**
   * Get the symoblizer rotation.
   * @return {number} Rotation.
   * @api
   */
  getRotation() {
    return this.rotation_;
  }
  /**
   * Get the symbolizer scale.
   * @return {number|import("../size.js").Size} Scale.
   * @api
   */
  getScale() {
    return this.scale_;
  }
  /**
   * Get the symbolizer scale array.
   * @return {import("../size.js").Size} Scale array.
   */
  getScaleArray() {
    return this.scaleArray_;
  }
  /**
   * Get the displacement of the shape
   * @return {Array<number>} Shape's center displacement
   * @api
   */
  getDisplacement() {
    return this.displacement_;
  }
  /**
   * Get the declutter mode of the shape
   * @return {import("./Style.js").DeclutterMode} Shape's declutter mode
   * @api
   */
  getDeclutterMode() {
    return this.declutterMode_;
  }
  /**
   * Get the anchor point in pixels. The anchor determines the center point for the
   * symbolizer.
   * @abstract
   * @return {Array<number>} Anchor.
   */
  getAnchor() {
    return X();
  }
  /**
   * Get the image element for the symbolizer.
   * @abstract
   * @param {number} pixelRatio Pixel ratio.
   * @return {import('../DataTile.js').ImageLike} Image element.
   */
  getImage(t) {
    return X();
  }
  /**
   * @abstract
   * @return {import('../DataTile.js').ImageLike} Image element.
   */
  getHitDetectionImage() {
    return X();
  }
  /**
   * Get the image pixel ratio.
   * @param {number} pixelRatio Pixel ratio.
   * @return {number} Pixel ratio.
   */
  getPixelRatio(t) {
    return 1;
  }
  /**
   * @abstract
   * @return {import("../ImageState.js").default} Image state.
   */
  getImageState() {
    return X();
  }
  /**
   * @abstract
   * @return {import("../size.js").Size} Image size.
   */
  getImageSize() {
    return X();
  }
  /**
   * Get the origin of the symbolizer.
   * @abstract
   * @return {Array<number>} Origin.
   */
  getOrigin() {
    return X();
  }
  /**
   * Get the size of the symbolizer (in pixels).
   * @abstract
   * @return {import("../size.js").Size} Size.
   */
  getSize() {
    return X();
  }
  /**
   * Set the displacement.
   *
   * @param {Array<number>} displacement Displacement.
   * @api
   */
  setDisplacement(t) {
    this.displacement_ = t;
  }
  /**
   * Set the opacity.
   *
   * @param {number} opacity Opacity.
   * @api
   */
  setOpacity(t) {
    this.opacity_ = t;
  }
  /**
   * Set whether to rotate the style with the view.
   *
   * @param {boolean} rotateWithView Rotate with map.
   * @api
   */
  setRotateWithView(t) {
    this.rotateWithView_ = t;
  }
  /**
   * Set the rotation.
   *
   * @param {number} rotation Rotation.
   * @api
   */
  setRotation(t) {
    this.rotation_ = t;
  }
  /**
   * Set the scale.
   *
   * @param {number|import("../size.js").Size} scale Scale.
   * @api
   */
  setScale(t) {
    this.scale_ = t, this.scaleArray_ = Kt(t);
  }
  /**
   * @abstract
   * @param {function(import("../events/Event.js").default): void} listener Listener function.
   */
  listenImageChange(t) {
    X();
  }
  /**
   * Load not yet loaded URI.
   * @abstract
   */
  load() {
    X();
  }
  /**
   * @abstract
   * @param {function(import("../events/Event.js").default): void} listener Listener function.
   */
  unlistenImageChange(t) {
    X();
  }
  /**
   * @return {Promise<void>} `false` or Promise that resolves when the style is ready to use.
   */
  ready() {
    return Promise.resolve();
  }
}
class Ws extends Vs {
  /**
   * @param {Options} options Options.
   */
  constructor(t) {
    super({
      opacity: 1,
      rotateWithView: t.rotateWithView !== void 0 ? t.rotateWithView : !1,
      rotation: t.rotation !== void 0 ? t.rotation : 0,
      scale: t.scale !== void 0 ? t.scale : 1,
      displacement: t.displacement !== void 0 ? t.displacement : [0, 0],
      declutterMode: t.declutterMode
    }), this.hitDetectionCanvas_ = null, this.fill_ = t.fill !== void 0 ? t.fill : null, this.origin_ = [0, 0], this.points_ = t.points, this.radius = t.radius, this.radius2_ = t.radius2, this.angle_ = t.angle !== void 0 ? t.angle : 0, this.stroke_ = t.stroke !== void 0 ? t.stroke : null, this.size_, this.renderOptions_, this.imageState_ = this.fill_ && this.fill_.loading() ? H.LOADING : H.LOADED, this.imageState_ === H.LOADING && this.ready().then(() => this.imageState_ = H.LOADED), this.render();
  }
  /**
   * Clones the style.
   * @return {RegularShape} The cloned style.
   * @api
   * @override
   */
  clone() {
    const t = this.getScale(), e = new Ws({
      fill: this.getFill() ? this.getFill().clone() : void 0,
      points: this.getPoints(),
      radius: this.getRadius(),
      radius2: this.getRadius2(),
      angle: this.getAngle(),
      stroke: this.getStroke() ? this.getStroke().clone() : void 0,
      rotation: this.getRotation(),
      rotateWithView: this.getRotateWithView(),
      scale: Array.isArray(t) ? t.slice() : t,
      displacement: this.getDisplacement().slice(),
      declutterMode: this.getDeclutterMode()
    });
    return e.setOpacity(this.getOpacity()), e;
  }
  /**
   * Get the anchor point in pixels. The anchor determines the center point for the
   * symbolizer.
   * @return {Array<number>} Anchor.
   * @api
   * @override
   */
  getAnchor() {
    const t = this.size_, e = this.getDisplacement(), n = this.getScaleArray();
    return [
      t[0] / 2 - e[0] / n[0],
      t[1] / 2 + e[1] / n[1]
    ];
  }
  /**
   * Get the angle used in generating the shape.
   * @return {number} Shape's rotation in radians.
   * @api
   */
  getAngle() {
    return this.angle_;
  }
  /**
   * Get the fill style for the shape.
   * @return {import("./Fill.js").default|null} Fill style.
   * @api
   */
  getFill() {
    return this.fill_;
  }
  /**
   * Set the fill style.
   * @param {import("./Fill.js").default|null} fill Fill style.
   * @api
   */
  setFill(t) {
    this.fill_ = t, this.render();
  }
  /**
   * @return {HTMLCanvasElement|OffscreenCanvas} Image element.
   * @override
   */
  getHitDetectionImage() {
    return this.hitDetectionCanvas_ || (this.hitDetectionCanvas_ = this.createHitDetectionCanvas_(
      this.renderOptions_
    )), this.hitDetectionCanvas_;
  }
  /**
   * Get the image icon.
   * @param {number} pixelRatio Pixel ratio.
   * @return {HTMLCanvasElement|OffscreenCanvas} Image or Canvas element.
   * @api
   * @override
   */
  getImage(t) {
    const e = this.fill_?.getKey(), n = `${t},${this.angle_},${this.radius},${this.radius2_},${this.points_},${e}` + Object.values(this.renderOptions_).join(",");
    let r = (
      /** @type {HTMLCanvasElement|OffscreenCanvas} */
      he.get(n, null, null)?.getImage(1)
    );
    if (!r) {
      const s = this.renderOptions_, o = Math.ceil(s.size * t), a = Rt(o, o);
      this.draw_(s, a, t), r = a.canvas, he.set(
        n,
        null,
        null,
        new Uc(r, void 0, null, H.LOADED, null)
      );
    }
    return r;
  }
  /**
   * Get the image pixel ratio.
   * @param {number} pixelRatio Pixel ratio.
   * @return {number} Pixel ratio.
   * @override
   */
  getPixelRatio(t) {
    return t;
  }
  /**
   * @return {import("../size.js").Size} Image size.
   * @override
   */
  getImageSize() {
    return this.size_;
  }
  /**
   * @return {import("../ImageState.js").default} Image state.
   * @override
   */
  getImageState() {
    return this.imageState_;
  }
  /**
   * Get the origin of the symbolizer.
   * @return {Array<number>} Origin.
   * @api
   * @override
   */
  getOrigin() {
    return this.origin_;
  }
  /**
   * Get the number of points for generating the shape.
   * @return {number} Number of points for stars and regular polygons.
   * @api
   */
  getPoints() {
    return this.points_;
  }
  /**
   * Get the (primary) radius for the shape.
   * @return {number} Radius.
   * @api
   */
  getRadius() {
    return this.radius;
  }
  /**
   * Get the secondary radius for the shape.
   * @return {number|undefined} Radius2.
   * @api
   */
  getRadius2() {
    return this.radius2_;
  }
  /**
   * Get the size of the symbolizer (in pixels).
   * @return {import("../size.js").Size} Size.
   * @api
   * @override
   */
  getSize() {
    return this.size_;
  }
  /**
   * Get the stroke style for the shape.
   * @return {import("./Stroke.js").default|null} Stroke style.
   * @api
   */
  getStroke() {
    return this.stroke_;
  }
  /**
   * Set the stroke style.
   * @param {import("./Stroke.js").default|null} stroke Stroke style.
   * @api
   */
  setStroke(t) {
    this.stroke_ = t, this.render();
  }
  /**
   * @param {function(import("../events/Event.js").default): void} listener Listener function.
   * @override
   */
  listenImageChange(t) {
  }
  /**
   * Load not yet loaded URI.
   * @override
   */
  load() {
  }
  /**
   * @param {function(import("../events/Event.js").default): void} listener Listener function.
   * @override
   */
  unlistenImageChange(t) {
  }
  /**
   * Calculate additional canvas size needed for the miter.
   * @param {string} lineJoin Line join
   * @param {number} strokeWidth Stroke width
   * @param {number} miterLimit Miter limit
   * @return {number} Additional canvas size needed
   * @private
   */
  calculateLineJoinSize_(t, e, n) {
    if (e === 0 || this.points_ === 1 / 0 || t !== "bevel" && t !== "miter")
      return e;
    let r = this.radius, s = this.radius2_ === void 0 ? r : this.radius2_;
    if (r < s) {
      const v = r;
      r = s, s = v;
    }
    const o = this.radius2_ === void 0 ? this.points_ : this.points_ * 2, a = 2 * Math.PI / o, l = s * Math.sin(a), h = Math.sqrt(s * s - l * l), c = r - h, u = Math.sqrt(l * l + c * c), d = u / l;
    if (t === "miter" && d <= n)
      return d * e;
    const g = e / 2 / d, f = e / 2 * (c / u), p = Math.sqrt((r + g) * (r + g) + f * f) - r;
    if (this.radius2_ === void 0 || t === "bevel")
      return p * 2;
    const _ = r * Math.sin(a), y = Math.sqrt(r * r - _ * _), x = s - y, E = Math.sqrt(_ * _ + x * x) / _;
    if (E <= n) {
      const v = E * e / 2 - s - r;
      return 2 * Math.max(p, v);
    }
    return p * 2;
  }
  /**
   * @return {RenderOptions}  The render options
   * @protected
   */
  createRenderOptions() {
    let t = Ai, e = Fi, n = 0, r = null, s = 0, o, a = 0;
    this.stroke_ && (o = ke(this.stroke_.getColor() ?? xr), a = this.stroke_.getWidth() ?? Er, r = this.stroke_.getLineDash(), s = this.stroke_.getLineDashOffset() ?? 0, e = this.stroke_.getLineJoin() ?? Fi, t = this.stroke_.getLineCap() ?? Ai, n = this.stroke_.getMiterLimit() ?? yr);
    const l = this.calculateLineJoinSize_(e, a, n), h = Math.max(this.radius, this.radius2_ || 0), c = Math.ceil(2 * h + l);
    return {
      strokeStyle: o,
      strokeWidth: a,
      size: c,
      lineCap: t,
      lineDash: r,
      lineDashOffset: s,
      lineJoin: e,
      miterLimit: n
    };
  }
  /**
   * @protected
   */
  render() {
    this.renderOptions_ = this.createRenderOptions();
    const t = this.renderOptions_.size;
    this.hitDetectionCanvas_ = null, this.size_ = [t, t];
  }
  /**
   * @private
   * @param {RenderOptions} renderOptions Render options.
   * @param {CanvasRenderingContext2D|OffscreenCanvasRenderingContext2D} context The rendering context.
   * @param {number} pixelRatio The pixel ratio.
   */
  draw_(t, e, n) {
    if (e.scale(n, n), e.translate(t.size / 2, t.size / 2), this.createPath_(e), this.fill_) {
      let r = this.fill_.getColor();
      r === null && (r = Jt), e.fillStyle = ke(r), e.fill();
    }
    t.strokeStyle && (e.strokeStyle = t.strokeStyle, e.lineWidth = t.strokeWidth, t.lineDash && (e.setLineDash(t.lineDash), e.lineDashOffset = t.lineDashOffset), e.lineCap = t.lineCap, e.lineJoin = t.lineJoin, e.miterLimit = t.miterLimit, e.stroke());
  }
  /**
   * @private
   * @param {RenderOptions} renderOptions Render options.
   * @return {HTMLCanvasElement|OffscreenCanvas} Canvas containing the icon
   */
  createHitDetectionCanvas_(t) {
    let e;
    if (this.fill_) {
      let n = this.fill_.getColor(), r = 0;
      typeof n == "string" && (n = Re(n)), n === null ? r = 1 : Array.isArray(n) && (r = n.length === 4 ? n[3] : 1), r === 0 && (e = Rt(t.size, t.size), this.drawHitDetectionCanvas_(t, e));
    }
    return e ? e.canvas : this.getImage(1);
  }
  /**
   * @private
   * @param {CanvasRenderingContext2D|OffscreenCanvasRenderingContext2D} context The context to draw in.
   */
  createPath_(t) {
    let e = this.points_;
    const n = this.radius;
    if (e === 1 / 0)
      t.arc(0, 0, n, 0, 2 * Math.PI);
    else {
      const r = this.radius2_ === void 0 ? n : this.radius2_;
      this.radius2_ !== void 0 && (e *= 2);
      const s = this.angle_ - Math.PI / 2, o = 2 * Math.PI / e;
      for (let a = 0; a < e; a++) {
        const l = s + a * o, h = a % 2 === 0 ? n : r;
        t.lineTo(h * Math.cos(l), h * Math.sin(l));
      }
      t.closePath();
    }
  }
  /**
   * @private
   * @param {RenderOptions} renderOptions Render options.
   * @param {CanvasRenderingContext2D|OffscreenCanvasRenderingContext2D} context The context.
   */
  drawHitDetectionCanvas_(t, e) {
    e.translate(t.size / 2, t.size / 2), this.createPath_(e), e.fillStyle = Jt, e.fill(), t.strokeStyle && (e.strokeStyle = t.strokeStyle, e.lineWidth = t.strokeWidth, t.lineDash && (e.setLineDash(t.lineDash), e.lineDashOffset = t.lineDashOffset), e.lineJoin = t.lineJoin, e.miterLimit = t.miterLimit, e.stroke());
  }
  /**
   * @override
   */
  ready() {
    return this.fill_ ? this.fill_.ready() : Promise.resolve();
  }
}
class Cn extends Ws {
  /**
   * @param {Options} [options] Options.
   */
  constructor(t) {
    t = t || { radius: 5 }, super({
      points: 1 / 0,
      fill: t.fill,
      radius: t.radius,
      stroke: t.stroke,
      scale: t.scale !== void 0 ? t.scale : 1,
      rotation: t.rotation !== void 0 ? t.rotation : 0,
      rotateWithView: t.rotateWithView !== void 0 ? t.rotateWithView : !1,
      displacement: t.displacement !== void 0 ? t.displacement : [0, 0],
      declutterMode: t.declutterMode
    });
  }
  /**
   * Clones the style.
   * @return {CircleStyle} The cloned style.
   * @api
   * @override
   */
  clone() {
    const t = this.getScale(), e = new Cn({
      fill: this.getFill() ? this.getFill().clone() : void 0,
      stroke: this.getStroke() ? this.getStroke().clone() : void 0,
      radius: this.getRadius(),
      scale: Array.isArray(t) ? t.slice() : t,
      rotation: this.getRotation(),
      rotateWithView: this.getRotateWithView(),
      displacement: this.getDisplacement().slice(),
      declutterMode: this.getDeclutterMode()
    });
    return e.setOpacity(this.getOpacity()), e;
  }
  /**
   * Set the circle radius.
   *
   * @param {number} radius Circle radius.
   * @api
   */
  setRadius(t) {
    this.radius = t, this.render();
  }
}
class ve {
  /**
   * @param {Options} [options] Options.
   */
  constructor(t) {
    t = t || {}, this.patternImage_ = null, this.color_ = null, t.color !== void 0 && this.setColor(t.color);
  }
  /**
   * Clones the style. The color is not cloned if it is a {@link module:ol/colorlike~ColorLike}.
   * @return {Fill} The cloned style.
   * @api
   */
  clone() {
    const t = this.getColor();
    return new ve({
      color: Array.isArray(t) ? t.slice() : t || void 0
    });
  }
  /**
   * Get the fill color.
   * @return {import("../color.js").Color|import("../colorlike.js").ColorLike|import('../colorlike.js').PatternDescriptor|null} Color.
   * @api
   */
  getColor() {
    return this.color_;
  }
  /**
   * Set the color.
   *
   * @param {import("../color.js").Color|import("../colorlike.js").ColorLike|import('../colorlike.js').PatternDescriptor|null} color Color.
   * @api
   */
  setColor(t) {
    if (t !== null && typeof t == "object" && "src" in t) {
      const e = vs(
        null,
        t.src,
        "anonymous",
        void 0,
        t.offset ? null : t.color ? t.color : null,
        !(t.offset && t.size)
      );
      e.ready().then(() => {
        this.patternImage_ = null;
      }), e.getImageState() === H.IDLE && e.load(), e.getImageState() === H.LOADING && (this.patternImage_ = e);
    }
    this.color_ = t;
  }
  /**
   * @return {string} Key of the fill for cache lookup.
   */
  getKey() {
    const t = this.getColor();
    return t ? t instanceof CanvasPattern || t instanceof CanvasGradient ? z(t) : typeof t == "object" && "src" in t ? t.src + ":" + t.offset : Re(t).toString() : "";
  }
  /**
   * @return {boolean} The fill style is loading an image pattern.
   */
  loading() {
    return !!this.patternImage_;
  }
  /**
   * @return {Promise<void>} `false` or a promise that resolves when the style is ready to use.
   */
  ready() {
    return this.patternImage_ ? this.patternImage_.ready() : Promise.resolve();
  }
}
function ih(i, t, e, n) {
  return e !== void 0 && n !== void 0 ? [e / i, n / t] : e !== void 0 ? e / i : n !== void 0 ? n / t : 1;
}
class Xs extends Vs {
  /**
   * @param {Options} [options] Options.
   */
  constructor(t) {
    t = t || {};
    const e = t.opacity !== void 0 ? t.opacity : 1, n = t.rotation !== void 0 ? t.rotation : 0, r = t.scale !== void 0 ? t.scale : 1, s = t.rotateWithView !== void 0 ? t.rotateWithView : !1;
    super({
      opacity: e,
      rotation: n,
      scale: r,
      displacement: t.displacement !== void 0 ? t.displacement : [0, 0],
      rotateWithView: s,
      declutterMode: t.declutterMode
    }), this.anchor_ = t.anchor !== void 0 ? t.anchor : [0.5, 0.5], this.normalizedAnchor_ = null, this.anchorOrigin_ = t.anchorOrigin !== void 0 ? t.anchorOrigin : "top-left", this.anchorXUnits_ = t.anchorXUnits !== void 0 ? t.anchorXUnits : "fraction", this.anchorYUnits_ = t.anchorYUnits !== void 0 ? t.anchorYUnits : "fraction", this.crossOrigin_ = t.crossOrigin !== void 0 ? t.crossOrigin : null;
    const o = t.img !== void 0 ? t.img : null;
    let a = t.src;
    nt(
      !(a !== void 0 && o),
      "`image` and `src` cannot be provided at the same time"
    ), (a === void 0 || a.length === 0) && o && (a = /** @type {HTMLImageElement} */
    o.src || z(o)), nt(
      a !== void 0 && a.length > 0,
      "A defined and non-empty `src` or `image` must be provided"
    ), nt(
      !((t.width !== void 0 || t.height !== void 0) && t.scale !== void 0),
      "`width` or `height` cannot be provided together with `scale`"
    );
    let l;
    if (t.src !== void 0 ? l = H.IDLE : o !== void 0 && ("complete" in o ? o.complete ? l = o.src ? H.LOADED : H.IDLE : l = H.LOADING : l = H.LOADED), this.color_ = t.color !== void 0 ? Re(t.color) : null, this.iconImage_ = vs(
      o,
      /** @type {string} */
      a,
      this.crossOrigin_,
      l,
      this.color_
    ), this.offset_ = t.offset !== void 0 ? t.offset : [0, 0], this.offsetOrigin_ = t.offsetOrigin !== void 0 ? t.offsetOrigin : "top-left", this.origin_ = null, this.size_ = t.size !== void 0 ? t.size : null, this.initialOptions_, t.width !== void 0 || t.height !== void 0) {
      let h, c;
      if (t.size)
        [h, c] = t.size;
      else {
        const u = this.getImage(1);
        if (u.width && u.height)
          h = u.width, c = u.height;
        else if (u instanceof HTMLImageElement) {
          this.initialOptions_ = t;
          const d = () => {
            if (this.unlistenImageChange(d), !this.initialOptions_)
              return;
            const g = this.iconImage_.getSize();
            this.setScale(
              ih(
                g[0],
                g[1],
                t.width,
                t.height
              )
            );
          };
          this.listenImageChange(d);
          return;
        }
      }
      h !== void 0 && this.setScale(
        ih(h, c, t.width, t.height)
      );
    }
  }
  /**
   * Clones the style. The underlying Image/HTMLCanvasElement is not cloned.
   * @return {Icon} The cloned style.
   * @api
   * @override
   */
  clone() {
    let t, e, n;
    return this.initialOptions_ ? (e = this.initialOptions_.width, n = this.initialOptions_.height) : (t = this.getScale(), t = Array.isArray(t) ? t.slice() : t), new Xs({
      anchor: this.anchor_.slice(),
      anchorOrigin: this.anchorOrigin_,
      anchorXUnits: this.anchorXUnits_,
      anchorYUnits: this.anchorYUnits_,
      color: this.color_ && this.color_.slice ? this.color_.slice() : this.color_ || void 0,
      crossOrigin: this.crossOrigin_,
      offset: this.offset_.slice(),
      offsetOrigin: this.offsetOrigin_,
      opacity: this.getOpacity(),
      rotateWithView: this.getRotateWithView(),
      rotation: this.getRotation(),
      scale: t,
      width: e,
      height: n,
      size: this.size_ !== null ? this.size_.slice() : void 0,
      src: this.getSrc(),
      displacement: this.getDisplacement().slice(),
      declutterMode: this.getDeclutterMode()
    });
  }
  /**
   * Get the anchor point in pixels. The anchor determines the center point for the
   * symbolizer.
   * @return {Array<number>} Anchor.
   * @api
   * @override
   */
  getAnchor() {
    let t = this.normalizedAnchor_;
    if (!t) {
      t = this.anchor_;
      const r = this.getSize();
      if (this.anchorXUnits_ == "fraction" || this.anchorYUnits_ == "fraction") {
        if (!r)
          return null;
        t = this.anchor_.slice(), this.anchorXUnits_ == "fraction" && (t[0] *= r[0]), this.anchorYUnits_ == "fraction" && (t[1] *= r[1]);
      }
      if (this.anchorOrigin_ != "top-left") {
        if (!r)
          return null;
        t === this.anchor_ && (t = this.anchor_.slice()), (this.anchorOrigin_ == "top-right" || this.anchorOrigin_ == "bottom-right") && (t[0] = -t[0] + r[0]), (this.anchorOrigin_ == "bottom-left" || this.anchorOrigin_ == "bottom-right") && (t[1] = -t[1] + r[1]);
      }
      this.normalizedAnchor_ = t;
    }
    const e = this.getDisplacement(), n = this.getScaleArray();
    return [
      t[0] - e[0] / n[0],
      t[1] + e[1] / n[1]
    ];
  }
  /**
   * Set the anchor point. The anchor determines the center point for the
   * symbolizer.
   *
   * @param {Array<number>} anchor Anchor.
   * @api
   */
  setAnchor(t) {
    this.anchor_ = t, this.normalizedAnchor_ = null;
  }
  /**
   * Get the icon color.
   * @return {import("../color.js").Color} Color.
   * @api
   */
  getColor() {
    return this.color_;
  }
  /**
   * Get the image icon.
   * @param {number} pixelRatio Pixel ratio.
   * @return {HTMLImageElement|HTMLCanvasElement|OffscreenCanvas|ImageBitmap} Image or Canvas element. If the Icon
   * style was configured with `src` or with a not let loaded `img`, an `ImageBitmap` will be returned.
   * @api
   * @override
   */
  getImage(t) {
    return this.iconImage_.getImage(t);
  }
  /**
   * Get the pixel ratio.
   * @param {number} pixelRatio Pixel ratio.
   * @return {number} The pixel ratio of the image.
   * @api
   * @override
   */
  getPixelRatio(t) {
    return this.iconImage_.getPixelRatio(t);
  }
  /**
   * @return {import("../size.js").Size} Image size.
   * @override
   */
  getImageSize() {
    return this.iconImage_.getSize();
  }
  /**
   * @return {import("../ImageState.js").default} Image state.
   * @override
   */
  getImageState() {
    return this.iconImage_.getImageState();
  }
  /**
   * @return {HTMLImageElement|HTMLCanvasElement|OffscreenCanvas|ImageBitmap} Image element.
   * @override
   */
  getHitDetectionImage() {
    return this.iconImage_.getHitDetectionImage();
  }
  /**
   * Get the origin of the symbolizer.
   * @return {Array<number>} Origin.
   * @api
   * @override
   */
  getOrigin() {
    if (this.origin_)
      return this.origin_;
    let t = this.offset_;
    if (this.offsetOrigin_ != "top-left") {
      const e = this.getSize(), n = this.iconImage_.getSize();
      if (!e || !n)
        return null;
      t = t.slice(), (this.offsetOrigin_ == "top-right" || this.offsetOrigin_ == "bottom-right") && (t[0] = n[0] - e[0] - t[0]), (this.offsetOrigin_ == "bottom-left" || this.offsetOrigin_ == "bottom-right") && (t[1] = n[1] - e[1] - t[1]);
    }
    return this.origin_ = t, this.origin_;
  }
  /**
   * Get the image URL.
   * @return {string|undefined} Image src.
   * @api
   */
  getSrc() {
    return this.iconImage_.getSrc();
  }
  /**
   * Set the image URI
   * @param {string} src Image source URI
   * @api
   */
  setSrc(t) {
    this.iconImage_ = vs(
      null,
      t,
      this.crossOrigin_,
      H.IDLE,
      this.color_
    );
  }
  /**
   * Get the size of the icon (in pixels).
   * @return {import("../size.js").Size} Image size.
   * @api
   * @override
   */
  getSize() {
    return this.size_ ? this.size_ : this.iconImage_.getSize();
  }
  /**
   * Get the width of the icon (in pixels). Will return undefined when the icon image is not yet loaded.
   * @return {number} Icon width (in pixels).
   * @api
   */
  getWidth() {
    const t = this.getScaleArray();
    if (this.size_)
      return this.size_[0] * t[0];
    if (this.iconImage_.getImageState() == H.LOADED)
      return this.iconImage_.getSize()[0] * t[0];
  }
  /**
   * Get the height of the icon (in pixels). Will return undefined when the icon image is not yet loaded.
   * @return {number} Icon height (in pixels).
   * @api
   */
  getHeight() {
    const t = this.getScaleArray();
    if (this.size_)
      return this.size_[1] * t[1];
    if (this.iconImage_.getImageState() == H.LOADED)
      return this.iconImage_.getSize()[1] * t[1];
  }
  /**
   * Set the scale.
   *
   * @param {number|import("../size.js").Size} scale Scale.
   * @api
   * @override
   */
  setScale(t) {
    delete this.initialOptions_, super.setScale(t);
  }
  /**
   * @param {function(import("../events/Event.js").default): void} listener Listener function.
   * @override
   */
  listenImageChange(t) {
    this.iconImage_.addEventListener(Y.CHANGE, t);
  }
  /**
   * Load not yet loaded URI.
   * When rendering a feature with an icon style, the vector renderer will
   * automatically call this method. However, you might want to call this
   * method yourself for preloading or other purposes.
   * @api
   * @override
   */
  load() {
    this.iconImage_.load();
  }
  /**
   * @param {function(import("../events/Event.js").default): void} listener Listener function.
   * @override
   */
  unlistenImageChange(t) {
    this.iconImage_.removeEventListener(Y.CHANGE, t);
  }
  /**
   * @override
   */
  ready() {
    return this.iconImage_.ready();
  }
}
class Te {
  /**
   * @param {Options} [options] Options.
   */
  constructor(t) {
    t = t || {}, this.color_ = t.color !== void 0 ? t.color : null, this.lineCap_ = t.lineCap, this.lineDash_ = t.lineDash !== void 0 ? t.lineDash : null, this.lineDashOffset_ = t.lineDashOffset, this.lineJoin_ = t.lineJoin, this.miterLimit_ = t.miterLimit, this.width_ = t.width;
  }
  /**
   * Clones the style.
   * @return {Stroke} The cloned style.
   * @api
   */
  clone() {
    const t = this.getColor();
    return new Te({
      color: Array.isArray(t) ? t.slice() : t || void 0,
      lineCap: this.getLineCap(),
      lineDash: this.getLineDash() ? this.getLineDash().slice() : void 0,
      lineDashOffset: this.getLineDashOffset(),
      lineJoin: this.getLineJoin(),
      miterLimit: this.getMiterLimit(),
      width: this.getWidth()
    });
  }
  /**
   * Get the stroke color.
   * @return {import("../color.js").Color|import("../colorlike.js").ColorLike} Color.
   * @api
   */
  getColor() {
    return this.color_;
  }
  /**
   * Get the line cap type for the stroke.
   * @return {CanvasLineCap|undefined} Line cap.
   * @api
   */
  getLineCap() {
    return this.lineCap_;
  }
  /**
   * Get the line dash style for the stroke.
   * @return {Array<number>|null} Line dash.
   * @api
   */
  getLineDash() {
    return this.lineDash_;
  }
  /**
   * Get the line dash offset for the stroke.
   * @return {number|undefined} Line dash offset.
   * @api
   */
  getLineDashOffset() {
    return this.lineDashOffset_;
  }
  /**
   * Get the line join type for the stroke.
   * @return {CanvasLineJoin|undefined} Line join.
   * @api
   */
  getLineJoin() {
    return this.lineJoin_;
  }
  /**
   * Get the miter limit for the stroke.
   * @return {number|undefined} Miter limit.
   * @api
   */
  getMiterLimit() {
    return this.miterLimit_;
  }
  /**
   * Get the stroke width.
   * @return {number|undefined} Width.
   * @api
   */
  getWidth() {
    return this.width_;
  }
  /**
   * Set the color.
   *
   * @param {import("../color.js").Color|import("../colorlike.js").ColorLike} color Color.
   * @api
   */
  setColor(t) {
    this.color_ = t;
  }
  /**
   * Set the line cap.
   *
   * @param {CanvasLineCap|undefined} lineCap Line cap.
   * @api
   */
  setLineCap(t) {
    this.lineCap_ = t;
  }
  /**
   * Set the line dash.
   *
   * @param {Array<number>|null} lineDash Line dash.
   * @api
   */
  setLineDash(t) {
    this.lineDash_ = t;
  }
  /**
   * Set the line dash offset.
   *
   * @param {number|undefined} lineDashOffset Line dash offset.
   * @api
   */
  setLineDashOffset(t) {
    this.lineDashOffset_ = t;
  }
  /**
   * Set the line join.
   *
   * @param {CanvasLineJoin|undefined} lineJoin Line join.
   * @api
   */
  setLineJoin(t) {
    this.lineJoin_ = t;
  }
  /**
   * Set the miter limit.
   *
   * @param {number|undefined} miterLimit Miter limit.
   * @api
   */
  setMiterLimit(t) {
    this.miterLimit_ = t;
  }
  /**
   * Set the width.
   *
   * @param {number|undefined} width Width.
   * @api
   */
  setWidth(t) {
    this.width_ = t;
  }
}
class Lt {
  /**
   * @param {Options} [options] Style options.
   */
  constructor(t) {
    t = t || {}, this.geometry_ = null, this.geometryFunction_ = rh, t.geometry !== void 0 && this.setGeometry(t.geometry), this.fill_ = t.fill !== void 0 ? t.fill : null, this.image_ = t.image !== void 0 ? t.image : null, this.renderer_ = t.renderer !== void 0 ? t.renderer : null, this.hitDetectionRenderer_ = t.hitDetectionRenderer !== void 0 ? t.hitDetectionRenderer : null, this.stroke_ = t.stroke !== void 0 ? t.stroke : null, this.text_ = t.text !== void 0 ? t.text : null, this.zIndex_ = t.zIndex;
  }
  /**
   * Clones the style.
   * @return {Style} The cloned style.
   * @api
   */
  clone() {
    let t = this.getGeometry();
    return t && typeof t == "object" && (t = /** @type {import("../geom/Geometry.js").default} */
    t.clone()), new Lt({
      geometry: t ?? void 0,
      fill: this.getFill() ? this.getFill().clone() : void 0,
      image: this.getImage() ? this.getImage().clone() : void 0,
      renderer: this.getRenderer() ?? void 0,
      stroke: this.getStroke() ? this.getStroke().clone() : void 0,
      text: this.getText() ? this.getText().clone() : void 0,
      zIndex: this.getZIndex()
    });
  }
  /**
   * Get the custom renderer function that was configured with
   * {@link #setRenderer} or the `renderer` constructor option.
   * @return {RenderFunction|null} Custom renderer function.
   * @api
   */
  getRenderer() {
    return this.renderer_;
  }
  /**
   * Sets a custom renderer function for this style. When set, `fill`, `stroke`
   * and `image` options of the style will be ignored.
   * @param {RenderFunction|null} renderer Custom renderer function.
   * @api
   */
  setRenderer(t) {
    this.renderer_ = t;
  }
  /**
   * Sets a custom renderer function for this style used
   * in hit detection.
   * @param {RenderFunction|null} renderer Custom renderer function.
   * @api
   */
  setHitDetectionRenderer(t) {
    this.hitDetectionRenderer_ = t;
  }
  /**
   * Get the custom renderer function that was configured with
   * {@link #setHitDetectionRenderer} or the `hitDetectionRenderer` constructor option.
   * @return {RenderFunction|null} Custom renderer function.
   * @api
   */
  getHitDetectionRenderer() {
    return this.hitDetectionRenderer_;
  }
  /**
   * Get the geometry to be rendered.
   * @return {string|import("../geom/Geometry.js").default|GeometryFunction|null}
   * Feature property or geometry or function that returns the geometry that will
   * be rendered with this style.
   * @api
   */
  getGeometry() {
    return this.geometry_;
  }
  /**
   * Get the function used to generate a geometry for rendering.
   * @return {!GeometryFunction} Function that is called with a feature
   * and returns the geometry to render instead of the feature's geometry.
   * @api
   */
  getGeometryFunction() {
    return this.geometryFunction_;
  }
  /**
   * Get the fill style.
   * @return {import("./Fill.js").default|null} Fill style.
   * @api
   */
  getFill() {
    return this.fill_;
  }
  /**
   * Set the fill style.
   * @param {import("./Fill.js").default|null} fill Fill style.
   * @api
   */
  setFill(t) {
    this.fill_ = t;
  }
  /**
   * Get the image style.
   * @return {import("./Image.js").default|null} Image style.
   * @api
   */
  getImage() {
    return this.image_;
  }
  /**
   * Set the image style.
   * @param {import("./Image.js").default} image Image style.
   * @api
   */
  setImage(t) {
    this.image_ = t;
  }
  /**
   * Get the stroke style.
   * @return {import("./Stroke.js").default|null} Stroke style.
   * @api
   */
  getStroke() {
    return this.stroke_;
  }
  /**
   * Set the stroke style.
   * @param {import("./Stroke.js").default|null} stroke Stroke style.
   * @api
   */
  setStroke(t) {
    this.stroke_ = t;
  }
  /**
   * Get the text style.
   * @return {import("./Text.js").default|null} Text style.
   * @api
   */
  getText() {
    return this.text_;
  }
  /**
   * Set the text style.
   * @param {import("./Text.js").default} text Text style.
   * @api
   */
  setText(t) {
    this.text_ = t;
  }
  /**
   * Get the z-index for the style.
   * @return {number|undefined} ZIndex.
   * @api
   */
  getZIndex() {
    return this.zIndex_;
  }
  /**
   * Set a geometry that is rendered instead of the feature's geometry.
   *
   * @param {string|import("../geom/Geometry.js").default|GeometryFunction|null} geometry
   *     Feature property or geometry or function returning a geometry to render
   *     for this style.
   * @api
   */
  setGeometry(t) {
    typeof t == "function" ? this.geometryFunction_ = t : typeof t == "string" ? this.geometryFunction_ = function(e) {
      return (
        /** @type {import("../geom/Geometry.js").default} */
        e.get(t)
      );
    } : t ? t !== void 0 && (this.geometryFunction_ = function() {
      return (
        /** @type {import("../geom/Geometry.js").default} */
        t
      );
    }) : this.geometryFunction_ = rh, this.geometry_ = t;
  }
  /**
   * Set the z-index.
   *
   * @param {number|undefined} zIndex ZIndex.
   * @api
   */
  setZIndex(t) {
    this.zIndex_ = t;
  }
}
function If(i) {
  let t;
  if (typeof i == "function")
    t = i;
  else {
    let e;
    Array.isArray(i) ? e = i : (nt(
      typeof /** @type {?} */
      i.getZIndex == "function",
      "Expected an `Style` or an array of `Style`"
    ), e = [
      /** @type {Style} */
      i
    ]), t = function() {
      return e;
    };
  }
  return t;
}
let po = null;
function Vc(i, t) {
  if (!po) {
    const e = new ve({
      color: "rgba(255,255,255,0.4)"
    }), n = new Te({
      color: "#3399CC",
      width: 1.25
    });
    po = [
      new Lt({
        image: new Cn({
          fill: e,
          stroke: n,
          radius: 5
        }),
        fill: e,
        stroke: n
      })
    ];
  }
  return po;
}
function Mf() {
  const i = {}, t = [255, 255, 255, 1], e = [0, 153, 255, 1], n = 3;
  return i.Polygon = [
    new Lt({
      fill: new ve({
        color: [255, 255, 255, 0.5]
      })
    })
  ], i.MultiPolygon = i.Polygon, i.LineString = [
    new Lt({
      stroke: new Te({
        color: t,
        width: n + 2
      })
    }),
    new Lt({
      stroke: new Te({
        color: e,
        width: n
      })
    })
  ], i.MultiLineString = i.LineString, i.Circle = i.Polygon.concat(i.LineString), i.Point = [
    new Lt({
      image: new Cn({
        radius: n * 2,
        fill: new ve({
          color: e
        }),
        stroke: new Te({
          color: t,
          width: n / 2
        })
      }),
      zIndex: 1 / 0
    })
  ], i.MultiPoint = i.Point, i.GeometryCollection = i.Polygon.concat(
    i.LineString,
    i.Point
  ), i;
}
function rh(i) {
  return i.getGeometry();
}
const Lf = "#333";
class Wa {
  /**
   * @param {Options} [options] Options.
   */
  constructor(t) {
    t = t || {}, this.font_ = t.font, this.rotation_ = t.rotation, this.rotateWithView_ = t.rotateWithView, this.keepUpright_ = t.keepUpright, this.scale_ = t.scale, this.scaleArray_ = Kt(t.scale !== void 0 ? t.scale : 1), this.text_ = t.text, this.textAlign_ = t.textAlign, this.justify_ = t.justify, this.repeat_ = t.repeat, this.textBaseline_ = t.textBaseline, this.fill_ = t.fill !== void 0 ? t.fill : new ve({ color: Lf }), this.maxAngle_ = t.maxAngle !== void 0 ? t.maxAngle : Math.PI / 4, this.placement_ = t.placement !== void 0 ? t.placement : "point", this.overflow_ = !!t.overflow, this.stroke_ = t.stroke !== void 0 ? t.stroke : null, this.offsetX_ = t.offsetX !== void 0 ? t.offsetX : 0, this.offsetY_ = t.offsetY !== void 0 ? t.offsetY : 0, this.backgroundFill_ = t.backgroundFill ? t.backgroundFill : null, this.backgroundStroke_ = t.backgroundStroke ? t.backgroundStroke : null, this.padding_ = t.padding === void 0 ? null : t.padding, this.declutterMode_ = t.declutterMode;
  }
  /**
   * Clones the style.
   * @return {Text} The cloned style.
   * @api
   */
  clone() {
    const t = this.getScale();
    return new Wa({
      font: this.getFont(),
      placement: this.getPlacement(),
      repeat: this.getRepeat(),
      maxAngle: this.getMaxAngle(),
      overflow: this.getOverflow(),
      rotation: this.getRotation(),
      rotateWithView: this.getRotateWithView(),
      keepUpright: this.getKeepUpright(),
      scale: Array.isArray(t) ? t.slice() : t,
      text: this.getText(),
      textAlign: this.getTextAlign(),
      justify: this.getJustify(),
      textBaseline: this.getTextBaseline(),
      fill: this.getFill() instanceof ve ? this.getFill().clone() : this.getFill(),
      stroke: this.getStroke() ? this.getStroke().clone() : void 0,
      offsetX: this.getOffsetX(),
      offsetY: this.getOffsetY(),
      backgroundFill: this.getBackgroundFill() ? this.getBackgroundFill().clone() : void 0,
      backgroundStroke: this.getBackgroundStroke() ? this.getBackgroundStroke().clone() : void 0,
      padding: this.getPadding() || void 0,
      declutterMode: this.getDeclutterMode()
    });
  }
  /**
   * Get the `overflow` configuration.
   * @return {boolean} Let text overflow the length of the path they follow.
   * @api
   */
  getOverflow() {
    return this.overflow_;
  }
  /**
   * Get the font name.
   * @return {string|undefined} Font.
   * @api
   */
  getFont() {
    return this.font_;
  }
  /**
   * Get the maximum angle between adjacent characters.
   * @return {number} Angle in radians.
   * @api
   */
  getMaxAngle() {
    return this.maxAngle_;
  }
  /**
   * Get the label placement.
   * @return {TextPlacement} Text placement.
   * @api
   */
  getPlacement() {
    return this.placement_;
  }
  /**
   * Get the repeat interval of the text.
   * @return {number|undefined} Repeat interval in pixels.
   * @api
   */
  getRepeat() {
    return this.repeat_;
  }
  /**
   * Get the x-offset for the text.
   * @return {number} Horizontal text offset.
   * @api
   */
  getOffsetX() {
    return this.offsetX_;
  }
  /**
   * Get the y-offset for the text.
   * @return {number} Vertical text offset.
   * @api
   */
  getOffsetY() {
    return this.offsetY_;
  }
  /**
   * Get the fill style for the text.
   * @return {import("./Fill.js").default|null} Fill style.
   * @api
   */
  getFill() {
    return this.fill_;
  }
  /**
   * Determine whether the text rotates with the map.
   * @return {boolean|undefined} Rotate with map.
   * @api
   */
  getRotateWithView() {
    return this.rotateWithView_;
  }
  /**
   * Determine whether the text can be rendered upside down.
   * @return {boolean|undefined} Keep text upright.
   * @api
   */
  getKeepUpright() {
    return this.keepUpright_;
  }
  /**
   * Get the text rotation.
   * @return {number|undefined} Rotation.
   * @api
   */
  getRotation() {
    return this.rotation_;
  }
  /**
   * Get the text scale.
   * @return {number|import("../size.js").Size|undefined} Scale.
   * @api
   */
  getScale() {
    return this.scale_;
  }
  /**
   * Get the symbolizer scale array.
   * @return {import("../size.js").Size} Scale array.
   */
  getScaleArray() {
    return this.scaleArray_;
  }
  /**
   * Get the stroke style for the text.
   * @return {import("./Stroke.js").default|null} Stroke style.
   * @api
   */
  getStroke() {
    return this.stroke_;
  }
  /**
   * Get the text to be rendered.
   * @return {string|Array<string>|undefined} Text.
   * @api
   */
  getText() {
    return this.text_;
  }
  /**
   * Get the text alignment.
   * @return {CanvasTextAlign|undefined} Text align.
   * @api
   */
  getTextAlign() {
    return this.textAlign_;
  }
  /**
   * Get the justification.
   * @return {TextJustify|undefined} Justification.
   * @api
   */
  getJustify() {
    return this.justify_;
  }
  /**
   * Get the text baseline.
   * @return {CanvasTextBaseline|undefined} Text baseline.
   * @api
   */
  getTextBaseline() {
    return this.textBaseline_;
  }
  /**
   * Get the background fill style for the text.
   * @return {import("./Fill.js").default|null} Fill style.
   * @api
   */
  getBackgroundFill() {
    return this.backgroundFill_;
  }
  /**
   * Get the background stroke style for the text.
   * @return {import("./Stroke.js").default|null} Stroke style.
   * @api
   */
  getBackgroundStroke() {
    return this.backgroundStroke_;
  }
  /**
   * Get the padding for the text.
   * @return {Array<number>|null} Padding.
   * @api
   */
  getPadding() {
    return this.padding_;
  }
  /**
   * Get the declutter mode of the shape
   * @return {import("./Style.js").DeclutterMode} Shape's declutter mode
   * @api
   */
  getDeclutterMode() {
    return this.declutterMode_;
  }
  /**
   * Set the `overflow` property.
   *
   * @param {boolean} overflow Let text overflow the path that it follows.
   * @api
   */
  setOverflow(t) {
    this.overflow_ = t;
  }
  /**
   * Set the font.
   *
   * @param {string|undefined} font Font.
   * @api
   */
  setFont(t) {
    this.font_ = t;
  }
  /**
   * Set the maximum angle between adjacent characters.
   *
   * @param {number} maxAngle Angle in radians.
   * @api
   */
  setMaxAngle(t) {
    this.maxAngle_ = t;
  }
  /**
   * Set the x offset.
   *
   * @param {number} offsetX Horizontal text offset.
   * @api
   */
  setOffsetX(t) {
    this.offsetX_ = t;
  }
  /**
   * Set the y offset.
   *
   * @param {number} offsetY Vertical text offset.
   * @api
   */
  setOffsetY(t) {
    this.offsetY_ = t;
  }
  /**
   * Set the text placement.
   *
   * @param {TextPlacement} placement Placement.
   * @api
   */
  setPlacement(t) {
    this.placement_ = t;
  }
  /**
   * Set the repeat interval of the text.
   * @param {number|undefined} [repeat] Repeat interval in pixels.
   * @api
   */
  setRepeat(t) {
    this.repeat_ = t;
  }
  /**
   * Set whether to rotate the text with the view.
   *
   * @param {boolean} rotateWithView Rotate with map.
   * @api
   */
  setRotateWithView(t) {
    this.rotateWithView_ = t;
  }
  /**
   * Set whether the text can be rendered upside down.
   *
   * @param {boolean} keepUpright Keep text upright.
   * @api
   */
  setKeepUpright(t) {
    this.keepUpright_ = t;
  }
  /**
   * Set the fill.
   *
   * @param {import("./Fill.js").default|null} fill Fill style.
   * @api
   */
  setFill(t) {
    this.fill_ = t;
  }
  /**
   * Set the rotation.
   *
   * @param {number|undefined} rotation Rotation.
   * @api
   */
  setRotation(t) {
    this.rotation_ = t;
  }
  /**
   * Set the scale.
   *
   * @param {number|import("../size.js").Size|undefined} scale Scale.
   * @api
   */
  setScale(t) {
    this.scale_ = t, this.scaleArray_ = Kt(t !== void 0 ? t : 1);
  }
  /**
   * Set the stroke.
   *
   * @param {import("./Stroke.js").default|null} stroke Stroke style.
   * @api
   */
  setStroke(t) {
    this.stroke_ = t;
  }
  /**
   * Set the text.
   *
   * @param {string|Array<string>|undefined} text Text.
   * @api
   */
  setText(t) {
    this.text_ = t;
  }
  /**
   * Set the text alignment.
   *
   * @param {CanvasTextAlign|undefined} textAlign Text align.
   * @api
   */
  setTextAlign(t) {
    this.textAlign_ = t;
  }
  /**
   * Set the justification.
   *
   * @param {TextJustify|undefined} justify Justification.
   * @api
   */
  setJustify(t) {
    this.justify_ = t;
  }
  /**
   * Set the text baseline.
   *
   * @param {CanvasTextBaseline|undefined} textBaseline Text baseline.
   * @api
   */
  setTextBaseline(t) {
    this.textBaseline_ = t;
  }
  /**
   * Set the background fill.
   *
   * @param {import("./Fill.js").default|null} fill Fill style.
   * @api
   */
  setBackgroundFill(t) {
    this.backgroundFill_ = t;
  }
  /**
   * Set the background stroke.
   *
   * @param {import("./Stroke.js").default|null} stroke Stroke style.
   * @api
   */
  setBackgroundStroke(t) {
    this.backgroundStroke_ = t;
  }
  /**
   * Set the padding (`[top, right, bottom, left]`).
   *
   * @param {Array<number>|null} padding Padding.
   * @api
   */
  setPadding(t) {
    this.padding_ = t;
  }
}
const Df = "data:image/svg+xml,%3csvg%20width='86'%20height='84'%20viewBox='0%200%2086%2084'%20fill='none'%20xmlns='http://www.w3.org/2000/svg'%3e%3cg%20clip-path='url(%23clip0_3080_8764)'%3e%3cg%20filter='url(%23filter0_d_3080_8764)'%3e%3cpath%20d='M43.0003%207C29.1328%207%2017.917%2017.955%2017.917%2031.5C17.917%2049.875%2043.0003%2077%2043.0003%2077C43.0003%2077%2068.0837%2049.875%2068.0837%2031.5C68.0837%2017.955%2056.8678%207%2043.0003%207ZM43.0003%2040.25C38.0553%2040.25%2034.042%2036.33%2034.042%2031.5C34.042%2026.67%2038.0553%2022.75%2043.0003%2022.75C47.9453%2022.75%2051.9587%2026.67%2051.9587%2031.5C51.9587%2036.33%2047.9453%2040.25%2043.0003%2040.25Z'%20fill='%233E9FCC'/%3e%3c/g%3e%3ccircle%20cx='43'%20cy='32'%20r='10'%20fill='%23E9F8FF'/%3e%3c/g%3e%3cdefs%3e%3cfilter%20id='filter0_d_3080_8764'%20x='13.917'%20y='7'%20width='58.167'%20height='78'%20filterUnits='userSpaceOnUse'%20color-interpolation-filters='sRGB'%3e%3cfeFlood%20flood-opacity='0'%20result='BackgroundImageFix'/%3e%3cfeColorMatrix%20in='SourceAlpha'%20type='matrix'%20values='0%200%200%200%200%200%200%200%200%200%200%200%200%200%200%200%200%200%20127%200'%20result='hardAlpha'/%3e%3cfeOffset%20dy='4'/%3e%3cfeGaussianBlur%20stdDeviation='2'/%3e%3cfeComposite%20in2='hardAlpha'%20operator='out'/%3e%3cfeColorMatrix%20type='matrix'%20values='0%200%200%200%200%200%200%200%200%200%200%200%200%200%200%200%200%200%200.25%200'/%3e%3cfeBlend%20mode='normal'%20in2='BackgroundImageFix'%20result='effect1_dropShadow_3080_8764'/%3e%3cfeBlend%20mode='normal'%20in='SourceGraphic'%20in2='effect1_dropShadow_3080_8764'%20result='shape'/%3e%3c/filter%3e%3cclipPath%20id='clip0_3080_8764'%3e%3crect%20width='86'%20height='84'%20fill='white'/%3e%3c/clipPath%3e%3c/defs%3e%3c/svg%3e", Wc = "data:image/svg+xml,%3csvg%20width='86'%20height='84'%20viewBox='0%200%2086%2084'%20fill='none'%20xmlns='http://www.w3.org/2000/svg'%3e%3cg%20clip-path='url(%23clip0_3080_8764)'%3e%3cg%20filter='url(%23filter0_d_3080_8764)'%3e%3cpath%20d='M43.0003%207C29.1328%207%2017.917%2017.955%2017.917%2031.5C17.917%2049.875%2043.0003%2077%2043.0003%2077C43.0003%2077%2068.0837%2049.875%2068.0837%2031.5C68.0837%2017.955%2056.8678%207%2043.0003%207ZM43.0003%2040.25C38.0553%2040.25%2034.042%2036.33%2034.042%2031.5C34.042%2026.67%2038.0553%2022.75%2043.0003%2022.75C47.9453%2022.75%2051.9587%2026.67%2051.9587%2031.5C51.9587%2036.33%2047.9453%2040.25%2043.0003%2040.25Z'%20fill='%2322C55E'/%3e%3c/g%3e%3ccircle%20cx='43'%20cy='32'%20r='10'%20fill='%23E9F8FF'/%3e%3c/g%3e%3cdefs%3e%3cfilter%20id='filter0_d_3080_8764'%20x='13.917'%20y='7'%20width='58.167'%20height='78'%20filterUnits='userSpaceOnUse'%20color-interpolation-filters='sRGB'%3e%3cfeFlood%20flood-opacity='0'%20result='BackgroundImageFix'/%3e%3cfeColorMatrix%20in='SourceAlpha'%20type='matrix'%20values='0%200%200%200%200%200%200%200%200%200%200%200%200%200%200%200%200%200%20127%200'%20result='hardAlpha'/%3e%3cfeOffset%20dy='4'/%3e%3cfeGaussianBlur%20stdDeviation='2'/%3e%3cfeComposite%20in2='hardAlpha'%20operator='out'/%3e%3cfeColorMatrix%20type='matrix'%20values='0%200%200%200%200%200%200%200%200%200%200%200%200%200%200%200%200%200%200.25%200'/%3e%3cfeBlend%20mode='normal'%20in2='BackgroundImageFix'%20result='effect1_dropShadow_3080_8764'/%3e%3cfeBlend%20mode='normal'%20in='SourceGraphic'%20in2='effect1_dropShadow_3080_8764'%20result='shape'/%3e%3c/filter%3e%3cclipPath%20id='clip0_3080_8764'%3e%3crect%20width='86'%20height='84'%20fill='white'/%3e%3c/clipPath%3e%3c/defs%3e%3c/svg%3e", zt = {
  /**
   * Triggered when an item is added to the collection.
   * @event module:ol/Collection.CollectionEvent#add
   * @api
   */
  ADD: "add",
  /**
   * Triggered when an item is removed from the collection.
   * @event module:ol/Collection.CollectionEvent#remove
   * @api
   */
  REMOVE: "remove"
}, sh = {
  LENGTH: "length"
};
class Hr extends Pe {
  /**
   * @param {import("./CollectionEventType.js").default} type Type.
   * @param {T} element Element.
   * @param {number} index The index of the added or removed element.
   */
  constructor(t, e, n) {
    super(t), this.element = e, this.index = n;
  }
}
class Nt extends $e {
  /**
   * @param {Array<T>} [array] Array.
   * @param {Options} [options] Collection options.
   */
  constructor(t, e) {
    if (super(), this.on, this.once, this.un, e = e || {}, this.unique_ = !!e.unique, this.array_ = t ?? [], this.unique_)
      for (let n = 1, r = this.array_.length; n < r; ++n)
        this.assertUnique_(this.array_[n], n);
    this.updateLength_();
  }
  /**
   * Remove all elements from the collection.
   * @api
   */
  clear() {
    for (; this.getLength() > 0; )
      this.pop();
  }
  /**
   * Add elements to the collection.  This pushes each item in the provided array
   * to the end of the collection.
   * @param {!Array<T>} arr Array.
   * @return {Collection<T>} This collection.
   * @api
   */
  extend(t) {
    for (let e = 0, n = t.length; e < n; ++e)
      this.push(t[e]);
    return this;
  }
  /**
   * Iterate over each element, calling the provided callback.
   * @param {function(T, number, Array<T>): *} f The function to call
   *     for every element. This function takes 3 arguments (the element, the
   *     index and the array). The return value is ignored.
   * @api
   */
  forEach(t) {
    const e = this.array_;
    for (let n = 0, r = e.length; n < r; ++n)
      t(e[n], n, e);
  }
  /**
   * Get a reference to the underlying Array object. Warning: if the array
   * is mutated, no events will be dispatched by the collection, and the
   * collection's "length" property won't be in sync with the actual length
   * of the array.
   * @return {!Array<T>} Array.
   * @api
   */
  getArray() {
    return this.array_;
  }
  /**
   * Get the element at the provided index.
   * @param {number} index Index.
   * @return {T} Element.
   * @api
   */
  item(t) {
    return this.array_[t];
  }
  /**
   * Get the length of this collection.
   * @return {number} The length of the array.
   * @observable
   * @api
   */
  getLength() {
    return this.get(sh.LENGTH);
  }
  /**
   * Insert an element at the provided index.
   * @param {number} index Index.
   * @param {T} elem Element.
   * @api
   */
  insertAt(t, e) {
    if (t < 0 || t > this.getLength())
      throw new Error("Index out of bounds: " + t);
    this.unique_ && this.assertUnique_(e), this.array_.splice(t, 0, e), this.updateLength_(), this.dispatchEvent(
      new Hr(zt.ADD, e, t)
    );
  }
  /**
   * Remove the last element of the collection and return it.
   * Return `undefined` if the collection is empty.
   * @return {T|undefined} Element.
   * @api
   */
  pop() {
    return this.removeAt(this.getLength() - 1);
  }
  /**
   * Insert the provided element at the end of the collection.
   * @param {T} elem Element.
   * @return {number} New length of the collection.
   * @api
   */
  push(t) {
    const e = this.getLength();
    return this.insertAt(e, t), this.getLength();
  }
  /**
   * Remove the first occurrence of an element from the collection.
   * @param {T} elem Element.
   * @return {T|undefined} The removed element or undefined if none found.
   * @api
   */
  remove(t) {
    const e = this.array_;
    for (let n = 0, r = e.length; n < r; ++n)
      if (e[n] === t)
        return this.removeAt(n);
  }
  /**
   * Remove the element at the provided index and return it.
   * Return `undefined` if the collection does not contain this index.
   * @param {number} index Index.
   * @return {T|undefined} Value.
   * @api
   */
  removeAt(t) {
    if (t < 0 || t >= this.getLength())
      return;
    const e = this.array_[t];
    return this.array_.splice(t, 1), this.updateLength_(), this.dispatchEvent(
      /** @type {CollectionEvent<T>} */
      new Hr(zt.REMOVE, e, t)
    ), e;
  }
  /**
   * Set the element at the provided index.
   * @param {number} index Index.
   * @param {T} elem Element.
   * @api
   */
  setAt(t, e) {
    const n = this.getLength();
    if (t >= n) {
      this.insertAt(t, e);
      return;
    }
    if (t < 0)
      throw new Error("Index out of bounds: " + t);
    this.unique_ && this.assertUnique_(e, t);
    const r = this.array_[t];
    this.array_[t] = e, this.dispatchEvent(
      /** @type {CollectionEvent<T>} */
      new Hr(zt.REMOVE, r, t)
    ), this.dispatchEvent(
      /** @type {CollectionEvent<T>} */
      new Hr(zt.ADD, e, t)
    );
  }
  /**
   * @private
   */
  updateLength_() {
    this.set(sh.LENGTH, this.array_.length);
  }
  /**
   * @private
   * @param {T} elem Element.
   * @param {number} [except] Optional index to ignore.
   */
  assertUnique_(t, e) {
    const n = this.array_;
    for (let r = 0, s = n.length; r < s; ++r)
      if (n[r] === t && r !== e)
        throw new Error("Duplicate item added to a unique collection");
  }
}
class ne extends $e {
  /**
   * @param {Geometry|ObjectWithGeometry<Geometry>} [geometryOrProperties]
   *     You may pass a Geometry object directly, or an object literal containing
   *     properties. If you pass an object literal, you may include a Geometry
   *     associated with a `geometry` key.
   */
  constructor(t) {
    if (super(), this.on, this.once, this.un, this.id_ = void 0, this.geometryName_ = "geometry", this.style_ = null, this.styleFunction_ = void 0, this.geometryChangeKey_ = null, this.addChangeListener(this.geometryName_, this.handleGeometryChanged_), t)
      if (typeof /** @type {?} */
      t.getSimplifiedGeometry == "function") {
        const e = (
          /** @type {Geometry} */
          t
        );
        this.setGeometry(e);
      } else {
        const e = t;
        this.setProperties(e);
      }
  }
  /**
   * Clone this feature. If the original feature has a geometry it
   * is also cloned. The feature id is not set in the clone.
   * @return {Feature<Geometry>} The clone.
   * @api
   */
  clone() {
    const t = (
      /** @type {Feature<Geometry>} */
      new ne(this.hasProperties() ? this.getProperties() : null)
    );
    t.setGeometryName(this.getGeometryName());
    const e = this.getGeometry();
    e && t.setGeometry(
      /** @type {Geometry} */
      e.clone()
    );
    const n = this.getStyle();
    return n && t.setStyle(n), t;
  }
  /**
   * Get the feature's default geometry.  A feature may have any number of named
   * geometries.  The "default" geometry (the one that is rendered by default) is
   * set when calling {@link module:ol/Feature~Feature#setGeometry}.
   * @return {Geometry|undefined} The default geometry for the feature.
   * @api
   * @observable
   */
  getGeometry() {
    return (
      /** @type {Geometry|undefined} */
      this.get(this.geometryName_)
    );
  }
  /**
   * Get the feature identifier.  This is a stable identifier for the feature and
   * is either set when reading data from a remote source or set explicitly by
   * calling {@link module:ol/Feature~Feature#setId}.
   * @return {number|string|undefined} Id.
   * @api
   */
  getId() {
    return this.id_;
  }
  /**
   * Get the name of the feature's default geometry.  By default, the default
   * geometry is named `geometry`.
   * @return {string} Get the property name associated with the default geometry
   *     for this feature.
   * @api
   */
  getGeometryName() {
    return this.geometryName_;
  }
  /**
   * Get the feature's style. Will return what was provided to the
   * {@link module:ol/Feature~Feature#setStyle} method.
   * @return {import("./style/Style.js").StyleLike|undefined} The feature style.
   * @api
   */
  getStyle() {
    return this.style_;
  }
  /**
   * Get the feature's style function.
   * @return {import("./style/Style.js").StyleFunction|undefined} Return a function
   * representing the current style of this feature.
   * @api
   */
  getStyleFunction() {
    return this.styleFunction_;
  }
  /**
   * @private
   */
  handleGeometryChange_() {
    this.changed();
  }
  /**
   * @private
   */
  handleGeometryChanged_() {
    this.geometryChangeKey_ && (ht(this.geometryChangeKey_), this.geometryChangeKey_ = null);
    const t = this.getGeometry();
    t && (this.geometryChangeKey_ = tt(
      t,
      Y.CHANGE,
      this.handleGeometryChange_,
      this
    )), this.changed();
  }
  /**
   * Set the default geometry for the feature.  This will update the property
   * with the name returned by {@link module:ol/Feature~Feature#getGeometryName}.
   * @param {Geometry|undefined} geometry The new geometry.
   * @api
   * @observable
   */
  setGeometry(t) {
    this.set(this.geometryName_, t);
  }
  /**
   * Set the style for the feature to override the layer style.  This can be a
   * single style object, an array of styles, or a function that takes a
   * resolution and returns an array of styles. To unset the feature style, call
   * `setStyle()` without arguments or a falsey value.
   * @param {import("./style/Style.js").StyleLike} [style] Style for this feature.
   * @api
   * @fires module:ol/events/Event~BaseEvent#event:change
   */
  setStyle(t) {
    this.style_ = t, this.styleFunction_ = t ? Of(t) : void 0, this.changed();
  }
  /**
   * Set the feature id.  The feature id is considered stable and may be used when
   * requesting features or comparing identifiers returned from a remote source.
   * The feature id can be used with the
   * {@link module:ol/source/Vector~VectorSource#getFeatureById} method.
   * @param {number|string|undefined} id The feature id.
   * @api
   * @fires module:ol/events/Event~BaseEvent#event:change
   */
  setId(t) {
    this.id_ = t, this.changed();
  }
  /**
   * Set the property name to be used when getting the feature's default geometry.
   * When calling {@link module:ol/Feature~Feature#getGeometry}, the value of the property with
   * this name will be returned.
   * @param {string} name The property name of the default geometry.
   * @api
   */
  setGeometryName(t) {
    this.removeChangeListener(this.geometryName_, this.handleGeometryChanged_), this.geometryName_ = t, this.addChangeListener(this.geometryName_, this.handleGeometryChanged_), this.handleGeometryChanged_();
  }
}
function Of(i) {
  if (typeof i == "function")
    return i;
  let t;
  return Array.isArray(i) ? t = i : (nt(
    typeof /** @type {?} */
    i.getZIndex == "function",
    "Expected an `ol/style/Style` or an array of `ol/style/Style.js`"
  ), t = [
    /** @type {import("./style/Style.js").default} */
    i
  ]), function() {
    return t;
  };
}
const Mt = {
  /**
   * Triggered before a layer is rendered.
   * @event module:ol/render/Event~RenderEvent#prerender
   * @api
   */
  PRERENDER: "prerender",
  /**
   * Triggered after a layer is rendered.
   * @event module:ol/render/Event~RenderEvent#postrender
   * @api
   */
  POSTRENDER: "postrender",
  /**
   * Triggered before layers are composed.  When dispatched by the map, the event object will not have
   * a `context` set.  When dispatched by a layer, the event object will have a `context` set.  Only
   * WebGL layers currently dispatch this event.
   * @event module:ol/render/Event~RenderEvent#precompose
   * @api
   */
  PRECOMPOSE: "precompose",
  /**
   * Triggered after layers are composed.  When dispatched by the map, the event object will not have
   * a `context` set.  When dispatched by a layer, the event object will have a `context` set.  Only
   * WebGL layers currently dispatch this event.
   * @event module:ol/render/Event~RenderEvent#postcompose
   * @api
   */
  POSTCOMPOSE: "postcompose",
  /**
   * Triggered when rendering is complete, i.e. all sources and tiles have
   * finished loading for the current viewport, and all tiles are faded in.
   * The event object will not have a `context` set.
   * @event module:ol/render/Event~RenderEvent#rendercomplete
   * @api
   */
  RENDERCOMPLETE: "rendercomplete"
};
class Xc {
  /**
   * Render a geometry with a custom renderer.
   *
   * @param {import("../geom/SimpleGeometry.js").default} geometry Geometry.
   * @param {import("../Feature.js").FeatureLike} feature Feature.
   * @param {Function} renderer Renderer.
   * @param {Function} hitDetectionRenderer Renderer.
   * @param {number} [index] Render order index.
   */
  drawCustom(t, e, n, r, s) {
  }
  /**
   * Render a geometry.
   *
   * @param {import("../geom/Geometry.js").default} geometry The geometry to render.
   */
  drawGeometry(t) {
  }
  /**
   * Set the rendering style.
   *
   * @param {import("../style/Style.js").default} style The rendering style.
   */
  setStyle(t) {
  }
  /**
   * @param {import("../geom/Circle.js").default} circleGeometry Circle geometry.
   * @param {import("../Feature.js").default} feature Feature.
   * @param {number} [index] Render order index.
   */
  drawCircle(t, e, n) {
  }
  /**
   * @param {import("../Feature.js").default} feature Feature.
   * @param {import("../style/Style.js").default} style Style.
   * @param {number} [index] Render order index.
   */
  drawFeature(t, e, n) {
  }
  /**
   * @param {import("../geom/GeometryCollection.js").default} geometryCollectionGeometry Geometry collection.
   * @param {import("../Feature.js").default} feature Feature.
   * @param {number} [index] Render order index.
   */
  drawGeometryCollection(t, e, n) {
  }
  /**
   * @param {import("../geom/LineString.js").default|import("./Feature.js").default} lineStringGeometry Line string geometry.
   * @param {import("../Feature.js").FeatureLike} feature Feature.
   * @param {number} [index] Render order index.
   */
  drawLineString(t, e, n) {
  }
  /**
   * @param {import("../geom/MultiLineString.js").default|import("./Feature.js").default} multiLineStringGeometry MultiLineString geometry.
   * @param {import("../Feature.js").FeatureLike} feature Feature.
   * @param {number} [index] Render order index.
   */
  drawMultiLineString(t, e, n) {
  }
  /**
   * @param {import("../geom/MultiPoint.js").default|import("./Feature.js").default} multiPointGeometry MultiPoint geometry.
   * @param {import("../Feature.js").FeatureLike} feature Feature.
   * @param {number} [index] Render order index.
   */
  drawMultiPoint(t, e, n) {
  }
  /**
   * @param {import("../geom/MultiPolygon.js").default} multiPolygonGeometry MultiPolygon geometry.
   * @param {import("../Feature.js").FeatureLike} feature Feature.
   * @param {number} [index] Render order index.
   */
  drawMultiPolygon(t, e, n) {
  }
  /**
   * @param {import("../geom/Point.js").default|import("./Feature.js").default} pointGeometry Point geometry.
   * @param {import("../Feature.js").FeatureLike} feature Feature.
   * @param {number} [index] Render order index.
   */
  drawPoint(t, e, n) {
  }
  /**
   * @param {import("../geom/Polygon.js").default|import("./Feature.js").default} polygonGeometry Polygon geometry.
   * @param {import("../Feature.js").FeatureLike} feature Feature.
   * @param {number} [index] Render order index.
   */
  drawPolygon(t, e, n) {
  }
  /**
   * @param {import("../geom/SimpleGeometry.js").default|import("./Feature.js").default} geometry Geometry.
   * @param {import("../Feature.js").FeatureLike} feature Feature.
   * @param {number} [index] Render order index.
   */
  drawText(t, e, n) {
  }
  /**
   * @param {import("../style/Fill.js").default} fillStyle Fill style.
   * @param {import("../style/Stroke.js").default} strokeStyle Stroke style.
   */
  setFillStrokeStyle(t, e) {
  }
  /**
   * @param {import("../style/Image.js").default} imageStyle Image style.
   * @param {import("../render/canvas.js").DeclutterImageWithText} [declutterImageWithText] Shared data for combined decluttering with a text style.
   */
  setImageStyle(t, e) {
  }
  /**
   * @param {import("../style/Text.js").default} textStyle Text style.
   * @param {import("../render/canvas.js").DeclutterImageWithText} [declutterImageWithText] Shared data for combined decluttering with an image style.
   */
  setTextStyle(t, e) {
  }
}
class kf extends Xc {
  /**
   * @param {CanvasRenderingContext2D|OffscreenCanvasRenderingContext2D} context Context.
   * @param {number} pixelRatio Pixel ratio.
   * @param {import("../../extent.js").Extent} extent Extent.
   * @param {import("../../transform.js").Transform} transform Transform.
   * @param {number} viewRotation View rotation.
   * @param {number} [squaredTolerance] Optional squared tolerance for simplification.
   * @param {import("../../proj.js").TransformFunction} [userTransform] Transform from user to view projection.
   */
  constructor(t, e, n, r, s, o, a) {
    super(), this.context_ = t, this.pixelRatio_ = e, this.extent_ = n, this.transform_ = r, this.transformRotation_ = r ? Ar(Math.atan2(r[1], r[0]), 10) : 0, this.viewRotation_ = s, this.squaredTolerance_ = o, this.userTransform_ = a, this.contextFillState_ = null, this.contextStrokeState_ = null, this.contextTextState_ = null, this.fillState_ = null, this.strokeState_ = null, this.image_ = null, this.imageAnchorX_ = 0, this.imageAnchorY_ = 0, this.imageHeight_ = 0, this.imageOpacity_ = 0, this.imageOriginX_ = 0, this.imageOriginY_ = 0, this.imageRotateWithView_ = !1, this.imageRotation_ = 0, this.imageScale_ = [0, 0], this.imageWidth_ = 0, this.text_ = "", this.textOffsetX_ = 0, this.textOffsetY_ = 0, this.textRotateWithView_ = !1, this.textRotation_ = 0, this.textScale_ = [0, 0], this.textFillState_ = null, this.textStrokeState_ = null, this.textState_ = null, this.pixelCoordinates_ = [], this.tmpLocalTransform_ = wt();
  }
  /**
   * @param {Array<number>} flatCoordinates Flat coordinates.
   * @param {number} offset Offset.
   * @param {number} end End.
   * @param {number} stride Stride.
   * @private
   */
  drawImages_(t, e, n, r) {
    if (!this.image_)
      return;
    const s = Be(
      t,
      e,
      n,
      r,
      this.transform_,
      this.pixelCoordinates_
    ), o = this.context_, a = this.tmpLocalTransform_, l = o.globalAlpha;
    this.imageOpacity_ != 1 && (o.globalAlpha = l * this.imageOpacity_);
    let h = this.imageRotation_;
    this.transformRotation_ === 0 && (h -= this.viewRotation_), this.imageRotateWithView_ && (h += this.viewRotation_);
    for (let c = 0, u = s.length; c < u; c += 2) {
      const d = s[c] - this.imageAnchorX_, g = s[c + 1] - this.imageAnchorY_;
      if (h !== 0 || this.imageScale_[0] != 1 || this.imageScale_[1] != 1) {
        const f = d + this.imageAnchorX_, p = g + this.imageAnchorY_;
        we(
          a,
          f,
          p,
          1,
          1,
          h,
          -f,
          -p
        ), o.save(), o.transform.apply(o, a), o.translate(f, p), o.scale(this.imageScale_[0], this.imageScale_[1]), o.drawImage(
          this.image_,
          this.imageOriginX_,
          this.imageOriginY_,
          this.imageWidth_,
          this.imageHeight_,
          -this.imageAnchorX_,
          -this.imageAnchorY_,
          this.imageWidth_,
          this.imageHeight_
        ), o.restore();
      } else
        o.drawImage(
          this.image_,
          this.imageOriginX_,
          this.imageOriginY_,
          this.imageWidth_,
          this.imageHeight_,
          d,
          g,
          this.imageWidth_,
          this.imageHeight_
        );
    }
    this.imageOpacity_ != 1 && (o.globalAlpha = l);
  }
  /**
   * @param {Array<number>} flatCoordinates Flat coordinates.
   * @param {number} offset Offset.
   * @param {number} end End.
   * @param {number} stride Stride.
   * @private
   */
  drawText_(t, e, n, r) {
    if (!this.textState_ || this.text_ === "")
      return;
    this.textFillState_ && this.setContextFillState_(this.textFillState_), this.textStrokeState_ && this.setContextStrokeState_(this.textStrokeState_), this.setContextTextState_(this.textState_);
    const s = Be(
      t,
      e,
      n,
      r,
      this.transform_,
      this.pixelCoordinates_
    ), o = this.context_;
    let a = this.textRotation_;
    for (this.transformRotation_ === 0 && (a -= this.viewRotation_), this.textRotateWithView_ && (a += this.viewRotation_); e < n; e += r) {
      const l = s[e] + this.textOffsetX_, h = s[e + 1] + this.textOffsetY_;
      a !== 0 || this.textScale_[0] != 1 || this.textScale_[1] != 1 ? (o.save(), o.translate(l - this.textOffsetX_, h - this.textOffsetY_), o.rotate(a), o.translate(this.textOffsetX_, this.textOffsetY_), o.scale(this.textScale_[0], this.textScale_[1]), this.textStrokeState_ && o.strokeText(this.text_, 0, 0), this.textFillState_ && o.fillText(this.text_, 0, 0), o.restore()) : (this.textStrokeState_ && o.strokeText(this.text_, l, h), this.textFillState_ && o.fillText(this.text_, l, h));
    }
  }
  /**
   * @param {Array<number>} flatCoordinates Flat coordinates.
   * @param {number} offset Offset.
   * @param {number} end End.
   * @param {number} stride Stride.
   * @param {boolean} close Close.
   * @private
   * @return {number} end End.
   */
  moveToLineTo_(t, e, n, r, s) {
    const o = this.context_, a = Be(
      t,
      e,
      n,
      r,
      this.transform_,
      this.pixelCoordinates_
    );
    o.moveTo(a[0], a[1]);
    let l = a.length;
    s && (l -= 2);
    for (let h = 2; h < l; h += 2)
      o.lineTo(a[h], a[h + 1]);
    return s && o.closePath(), n;
  }
  /**
   * @param {Array<number>} flatCoordinates Flat coordinates.
   * @param {number} offset Offset.
   * @param {Array<number>} ends Ends.
   * @param {number} stride Stride.
   * @private
   * @return {number} End.
   */
  drawRings_(t, e, n, r) {
    for (let s = 0, o = n.length; s < o; ++s)
      e = this.moveToLineTo_(
        t,
        e,
        n[s],
        r,
        !0
      );
    return e;
  }
  /**
   * Render a circle geometry into the canvas.  Rendering is immediate and uses
   * the current fill and stroke styles.
   *
   * @param {import("../../geom/Circle.js").default} geometry Circle geometry.
   * @api
   * @override
   */
  drawCircle(t) {
    if (this.squaredTolerance_ && (t = /** @type {import("../../geom/Circle.js").default} */
    t.simplifyTransformed(
      this.squaredTolerance_,
      this.userTransform_
    )), !!Yt(this.extent_, t.getExtent())) {
      if (this.fillState_ || this.strokeState_) {
        this.fillState_ && this.setContextFillState_(this.fillState_), this.strokeState_ && this.setContextStrokeState_(this.strokeState_);
        const e = $g(
          t,
          this.transform_,
          this.pixelCoordinates_
        ), n = e[2] - e[0], r = e[3] - e[1], s = Math.sqrt(n * n + r * r), o = this.context_;
        o.beginPath(), o.arc(
          e[0],
          e[1],
          s,
          0,
          2 * Math.PI
        ), this.fillState_ && o.fill(), this.strokeState_ && o.stroke();
      }
      this.text_ !== "" && this.drawText_(t.getCenter(), 0, 2, 2);
    }
  }
  /**
   * Set the rendering style.  Note that since this is an immediate rendering API,
   * any `zIndex` on the provided style will be ignored.
   *
   * @param {import("../../style/Style.js").default} style The rendering style.
   * @api
   * @override
   */
  setStyle(t) {
    this.setFillStrokeStyle(t.getFill(), t.getStroke()), this.setImageStyle(t.getImage()), this.setTextStyle(t.getText());
  }
  /**
   * @param {import("../../transform.js").Transform} transform Transform.
   */
  setTransform(t) {
    this.transform_ = t;
  }
  /**
   * Render a geometry into the canvas.  Call
   * {@link module:ol/render/canvas/Immediate~CanvasImmediateRenderer#setStyle renderer.setStyle()} first to set the rendering style.
   *
   * @param {import("../../geom/Geometry.js").default|import("../Feature.js").default} geometry The geometry to render.
   * @api
   * @override
   */
  drawGeometry(t) {
    switch (t.getType()) {
      case "Point":
        this.drawPoint(
          /** @type {import("../../geom/Point.js").default} */
          t
        );
        break;
      case "LineString":
        this.drawLineString(
          /** @type {import("../../geom/LineString.js").default} */
          t
        );
        break;
      case "Polygon":
        this.drawPolygon(
          /** @type {import("../../geom/Polygon.js").default} */
          t
        );
        break;
      case "MultiPoint":
        this.drawMultiPoint(
          /** @type {import("../../geom/MultiPoint.js").default} */
          t
        );
        break;
      case "MultiLineString":
        this.drawMultiLineString(
          /** @type {import("../../geom/MultiLineString.js").default} */
          t
        );
        break;
      case "MultiPolygon":
        this.drawMultiPolygon(
          /** @type {import("../../geom/MultiPolygon.js").default} */
          t
        );
        break;
      case "GeometryCollection":
        this.drawGeometryCollection(
          /** @type {import("../../geom/GeometryCollection.js").default} */
          t
        );
        break;
      case "Circle":
        this.drawCircle(
          /** @type {import("../../geom/Circle.js").default} */
          t
        );
        break;
    }
  }
  /**
   * Render a feature into the canvas.  Note that any `zIndex` on the provided
   * style will be ignored - features are rendered immediately in the order that
   * this method is called.  If you need `zIndex` support, you should be using an
   * {@link module:ol/layer/Vector~VectorLayer} instead.
   *
   * @param {import("../../Feature.js").default} feature Feature.
   * @param {import("../../style/Style.js").default} style Style.
   * @api
   * @override
   */
  drawFeature(t, e) {
    const n = e.getGeometryFunction()(t);
    n && (this.setStyle(e), this.drawGeometry(n));
  }
  /**
   * Render a GeometryCollection to the canvas.  Rendering is immediate and
   * uses the current styles appropriate for each geometry in the collection.
   *
   * @param {import("../../geom/GeometryCollection.js").default} geometry Geometry collection.
   * @override
   */
  drawGeometryCollection(t) {
    const e = t.getGeometriesArray();
    for (let n = 0, r = e.length; n < r; ++n)
      this.drawGeometry(e[n]);
  }
  /**
   * Render a Point geometry into the canvas.  Rendering is immediate and uses
   * the current style.
   *
   * @param {import("../../geom/Point.js").default|import("../Feature.js").default} geometry Point geometry.
   * @override
   */
  drawPoint(t) {
    this.squaredTolerance_ && (t = /** @type {import("../../geom/Point.js").default} */
    t.simplifyTransformed(
      this.squaredTolerance_,
      this.userTransform_
    ));
    const e = t.getFlatCoordinates(), n = t.getStride();
    this.image_ && this.drawImages_(e, 0, e.length, n), this.text_ !== "" && this.drawText_(e, 0, e.length, n);
  }
  /**
   * Render a MultiPoint geometry  into the canvas.  Rendering is immediate and
   * uses the current style.
   *
   * @param {import("../../geom/MultiPoint.js").default|import("../Feature.js").default} geometry MultiPoint geometry.
   * @override
   */
  drawMultiPoint(t) {
    this.squaredTolerance_ && (t = /** @type {import("../../geom/MultiPoint.js").default} */
    t.simplifyTransformed(
      this.squaredTolerance_,
      this.userTransform_
    ));
    const e = t.getFlatCoordinates(), n = t.getStride();
    this.image_ && this.drawImages_(e, 0, e.length, n), this.text_ !== "" && this.drawText_(e, 0, e.length, n);
  }
  /**
   * Render a LineString into the canvas.  Rendering is immediate and uses
   * the current style.
   *
   * @param {import("../../geom/LineString.js").default|import("../Feature.js").default} geometry LineString geometry.
   * @override
   */
  drawLineString(t) {
    if (this.squaredTolerance_ && (t = /** @type {import("../../geom/LineString.js").default} */
    t.simplifyTransformed(
      this.squaredTolerance_,
      this.userTransform_
    )), !!Yt(this.extent_, t.getExtent())) {
      if (this.strokeState_) {
        this.setContextStrokeState_(this.strokeState_);
        const e = this.context_, n = t.getFlatCoordinates();
        e.beginPath(), this.moveToLineTo_(
          n,
          0,
          n.length,
          t.getStride(),
          !1
        ), e.stroke();
      }
      if (this.text_ !== "") {
        const e = t.getFlatMidpoint();
        this.drawText_(e, 0, 2, 2);
      }
    }
  }
  /**
   * Render a MultiLineString geometry into the canvas.  Rendering is immediate
   * and uses the current style.
   *
   * @param {import("../../geom/MultiLineString.js").default|import("../Feature.js").default} geometry MultiLineString geometry.
   * @override
   */
  drawMultiLineString(t) {
    this.squaredTolerance_ && (t = /** @type {import("../../geom/MultiLineString.js").default} */
    t.simplifyTransformed(
      this.squaredTolerance_,
      this.userTransform_
    ));
    const e = t.getExtent();
    if (Yt(this.extent_, e)) {
      if (this.strokeState_) {
        this.setContextStrokeState_(this.strokeState_);
        const n = this.context_, r = t.getFlatCoordinates();
        let s = 0;
        const o = (
          /** @type {Array<number>} */
          t.getEnds()
        ), a = t.getStride();
        n.beginPath();
        for (let l = 0, h = o.length; l < h; ++l)
          s = this.moveToLineTo_(
            r,
            s,
            o[l],
            a,
            !1
          );
        n.stroke();
      }
      if (this.text_ !== "") {
        const n = t.getFlatMidpoints();
        this.drawText_(n, 0, n.length, 2);
      }
    }
  }
  /**
   * Render a Polygon geometry into the canvas.  Rendering is immediate and uses
   * the current style.
   *
   * @param {import("../../geom/Polygon.js").default|import("../Feature.js").default} geometry Polygon geometry.
   * @override
   */
  drawPolygon(t) {
    if (this.squaredTolerance_ && (t = /** @type {import("../../geom/Polygon.js").default} */
    t.simplifyTransformed(
      this.squaredTolerance_,
      this.userTransform_
    )), !!Yt(this.extent_, t.getExtent())) {
      if (this.strokeState_ || this.fillState_) {
        this.fillState_ && this.setContextFillState_(this.fillState_), this.strokeState_ && this.setContextStrokeState_(this.strokeState_);
        const e = this.context_;
        e.beginPath(), this.drawRings_(
          t.getOrientedFlatCoordinates(),
          0,
          /** @type {Array<number>} */
          t.getEnds(),
          t.getStride()
        ), this.fillState_ && e.fill(), this.strokeState_ && e.stroke();
      }
      if (this.text_ !== "") {
        const e = t.getFlatInteriorPoint();
        this.drawText_(e, 0, 2, 2);
      }
    }
  }
  /**
   * Render MultiPolygon geometry into the canvas.  Rendering is immediate and
   * uses the current style.
   * @param {import("../../geom/MultiPolygon.js").default} geometry MultiPolygon geometry.
   * @override
   */
  drawMultiPolygon(t) {
    if (this.squaredTolerance_ && (t = /** @type {import("../../geom/MultiPolygon.js").default} */
    t.simplifyTransformed(
      this.squaredTolerance_,
      this.userTransform_
    )), !!Yt(this.extent_, t.getExtent())) {
      if (this.strokeState_ || this.fillState_) {
        this.fillState_ && this.setContextFillState_(this.fillState_), this.strokeState_ && this.setContextStrokeState_(this.strokeState_);
        const e = this.context_, n = t.getOrientedFlatCoordinates();
        let r = 0;
        const s = t.getEndss(), o = t.getStride();
        e.beginPath();
        for (let a = 0, l = s.length; a < l; ++a) {
          const h = s[a];
          r = this.drawRings_(n, r, h, o);
        }
        this.fillState_ && e.fill(), this.strokeState_ && e.stroke();
      }
      if (this.text_ !== "") {
        const e = t.getFlatInteriorPoints();
        this.drawText_(e, 0, e.length, 2);
      }
    }
  }
  /**
   * @param {import("../canvas.js").FillState} fillState Fill state.
   * @private
   */
  setContextFillState_(t) {
    const e = this.context_, n = this.contextFillState_;
    n ? n.fillStyle != t.fillStyle && (n.fillStyle = t.fillStyle, e.fillStyle = t.fillStyle) : (e.fillStyle = t.fillStyle, this.contextFillState_ = {
      fillStyle: t.fillStyle
    });
  }
  /**
   * @param {import("../canvas.js").StrokeState} strokeState Stroke state.
   * @private
   */
  setContextStrokeState_(t) {
    const e = this.context_, n = this.contextStrokeState_;
    n ? (n.lineCap != t.lineCap && (n.lineCap = t.lineCap, e.lineCap = t.lineCap), ze(n.lineDash, t.lineDash) || e.setLineDash(
      n.lineDash = t.lineDash
    ), n.lineDashOffset != t.lineDashOffset && (n.lineDashOffset = t.lineDashOffset, e.lineDashOffset = t.lineDashOffset), n.lineJoin != t.lineJoin && (n.lineJoin = t.lineJoin, e.lineJoin = t.lineJoin), n.lineWidth != t.lineWidth && (n.lineWidth = t.lineWidth, e.lineWidth = t.lineWidth), n.miterLimit != t.miterLimit && (n.miterLimit = t.miterLimit, e.miterLimit = t.miterLimit), n.strokeStyle != t.strokeStyle && (n.strokeStyle = t.strokeStyle, e.strokeStyle = t.strokeStyle)) : (e.lineCap = t.lineCap, e.setLineDash(t.lineDash), e.lineDashOffset = t.lineDashOffset, e.lineJoin = t.lineJoin, e.lineWidth = t.lineWidth, e.miterLimit = t.miterLimit, e.strokeStyle = t.strokeStyle, this.contextStrokeState_ = {
      lineCap: t.lineCap,
      lineDash: t.lineDash,
      lineDashOffset: t.lineDashOffset,
      lineJoin: t.lineJoin,
      lineWidth: t.lineWidth,
      miterLimit: t.miterLimit,
      strokeStyle: t.strokeStyle
    });
  }
  /**
   * @param {import("../canvas.js").TextState} textState Text state.
   * @private
   */
  setContextTextState_(t) {
    const e = this.context_, n = this.contextTextState_, r = t.textAlign ? t.textAlign : vr;
    n ? (n.font != t.font && (n.font = t.font, e.font = t.font), n.textAlign != r && (n.textAlign = r, e.textAlign = r), n.textBaseline != t.textBaseline && (n.textBaseline = t.textBaseline, e.textBaseline = t.textBaseline)) : (e.font = t.font, e.textAlign = r, e.textBaseline = t.textBaseline, this.contextTextState_ = {
      font: t.font,
      textAlign: r,
      textBaseline: t.textBaseline
    });
  }
  /**
   * Set the fill and stroke style for subsequent draw operations.  To clear
   * either fill or stroke styles, pass null for the appropriate parameter.
   *
   * @param {import("../../style/Fill.js").default} fillStyle Fill style.
   * @param {import("../../style/Stroke.js").default} strokeStyle Stroke style.
   * @override
   */
  setFillStrokeStyle(t, e) {
    if (!t)
      this.fillState_ = null;
    else {
      const n = t.getColor();
      this.fillState_ = {
        fillStyle: ke(
          n || Jt
        )
      };
    }
    if (!e)
      this.strokeState_ = null;
    else {
      const n = e.getColor(), r = e.getLineCap(), s = e.getLineDash(), o = e.getLineDashOffset(), a = e.getLineJoin(), l = e.getWidth(), h = e.getMiterLimit(), c = s || nn;
      this.strokeState_ = {
        lineCap: r !== void 0 ? r : Ai,
        lineDash: this.pixelRatio_ === 1 ? c : c.map((u) => u * this.pixelRatio_),
        lineDashOffset: (o || rn) * this.pixelRatio_,
        lineJoin: a !== void 0 ? a : Fi,
        lineWidth: (l !== void 0 ? l : Er) * this.pixelRatio_,
        miterLimit: h !== void 0 ? h : yr,
        strokeStyle: ke(
          n || xr
        )
      };
    }
  }
  /**
   * Set the image style for subsequent draw operations.  Pass null to remove
   * the image style.
   *
   * @param {import("../../style/Image.js").default} imageStyle Image style.
   * @override
   */
  setImageStyle(t) {
    let e;
    if (!t || !(e = t.getSize())) {
      this.image_ = null;
      return;
    }
    const n = t.getPixelRatio(this.pixelRatio_), r = t.getAnchor(), s = t.getOrigin();
    this.image_ = t.getImage(this.pixelRatio_), this.imageAnchorX_ = r[0] * n, this.imageAnchorY_ = r[1] * n, this.imageHeight_ = e[1] * n, this.imageOpacity_ = t.getOpacity(), this.imageOriginX_ = s[0], this.imageOriginY_ = s[1], this.imageRotateWithView_ = t.getRotateWithView(), this.imageRotation_ = t.getRotation();
    const o = t.getScaleArray();
    this.imageScale_ = [
      o[0] * this.pixelRatio_ / n,
      o[1] * this.pixelRatio_ / n
    ], this.imageWidth_ = e[0] * n;
  }
  /**
   * Set the text style for subsequent draw operations.  Pass null to
   * remove the text style.
   *
   * @param {import("../../style/Text.js").default} textStyle Text style.
   * @override
   */
  setTextStyle(t) {
    if (!t)
      this.text_ = "";
    else {
      const e = t.getFill();
      if (!e)
        this.textFillState_ = null;
      else {
        const g = e.getColor();
        this.textFillState_ = {
          fillStyle: ke(
            g || Jt
          )
        };
      }
      const n = t.getStroke();
      if (!n)
        this.textStrokeState_ = null;
      else {
        const g = n.getColor(), f = n.getLineCap(), p = n.getLineDash(), _ = n.getLineDashOffset(), y = n.getLineJoin(), x = n.getWidth(), E = n.getMiterLimit();
        this.textStrokeState_ = {
          lineCap: f !== void 0 ? f : Ai,
          lineDash: p || nn,
          lineDashOffset: _ || rn,
          lineJoin: y !== void 0 ? y : Fi,
          lineWidth: x !== void 0 ? x : Er,
          miterLimit: E !== void 0 ? E : yr,
          strokeStyle: ke(
            g || xr
          )
        };
      }
      const r = t.getFont(), s = t.getOffsetX(), o = t.getOffsetY(), a = t.getRotateWithView(), l = t.getRotation(), h = t.getScaleArray(), c = t.getText(), u = t.getTextAlign(), d = t.getTextBaseline();
      this.textState_ = {
        font: r !== void 0 ? r : zc,
        textAlign: u !== void 0 ? u : vr,
        textBaseline: d !== void 0 ? d : Es
      }, this.text_ = c !== void 0 ? Array.isArray(c) ? c.reduce((g, f, p) => g += p % 2 ? " " : f, "") : c : "", this.textOffsetX_ = s !== void 0 ? this.pixelRatio_ * s : 0, this.textOffsetY_ = o !== void 0 ? this.pixelRatio_ * o : 0, this.textRotateWithView_ = a !== void 0 ? a : !1, this.textRotation_ = l !== void 0 ? l : 0, this.textScale_ = [
        this.pixelRatio_ * h[0],
        this.pixelRatio_ * h[1]
      ];
    }
  }
}
const Nf = 0.5, Yc = {
  Point: Wf,
  LineString: $f,
  Polygon: Yf,
  MultiPoint: Xf,
  MultiLineString: jf,
  MultiPolygon: Vf,
  GeometryCollection: zf,
  Circle: Bf
};
function Gf(i, t) {
  return parseInt(z(i), 10) - parseInt(z(t), 10);
}
function oh(i, t) {
  const e = Zc(i, t);
  return e * e;
}
function Zc(i, t) {
  return Nf * i / t;
}
function Bf(i, t, e, n, r) {
  const s = e.getFill(), o = e.getStroke();
  if (s || o) {
    const l = i.getBuilder(e.getZIndex(), "Circle");
    l.setFillStrokeStyle(s, o), l.drawCircle(t, n, r);
  }
  const a = e.getText();
  if (a && a.getText()) {
    const l = i.getBuilder(e.getZIndex(), "Text");
    l.setTextStyle(a), l.drawText(t, n);
  }
}
function ah(i, t, e, n, r, s, o, a) {
  const l = [], h = e.getImage();
  if (h) {
    let d = !0;
    const g = h.getImageState();
    g == H.LOADED || g == H.ERROR ? d = !1 : g == H.IDLE && h.load(), d && l.push(h.ready());
  }
  const c = e.getFill();
  c && c.loading() && l.push(c.ready());
  const u = l.length > 0;
  return u && Promise.all(l).then(() => r(null)), Uf(
    i,
    t,
    e,
    n,
    s,
    o,
    a
  ), u;
}
function Uf(i, t, e, n, r, s, o) {
  const a = e.getGeometryFunction()(t);
  if (!a)
    return;
  const l = a.simplifyTransformed(
    n,
    r
  );
  if (e.getRenderer())
    Kc(i, l, e, t, o);
  else {
    const h = Yc[l.getType()];
    h(
      i,
      l,
      e,
      t,
      o,
      s
    );
  }
}
function Kc(i, t, e, n, r) {
  if (t.getType() == "GeometryCollection") {
    const s = (
      /** @type {import("../geom/GeometryCollection.js").default} */
      t.getGeometries()
    );
    for (let o = 0, a = s.length; o < a; ++o)
      Kc(i, s[o], e, n, r);
    return;
  }
  i.getBuilder(e.getZIndex(), "Default").drawCustom(
    /** @type {import("../geom/SimpleGeometry.js").default} */
    t,
    n,
    e.getRenderer(),
    e.getHitDetectionRenderer(),
    r
  );
}
function zf(i, t, e, n, r, s) {
  const o = t.getGeometriesArray();
  let a, l;
  for (a = 0, l = o.length; a < l; ++a) {
    const h = Yc[o[a].getType()];
    h(
      i,
      o[a],
      e,
      n,
      r,
      s
    );
  }
}
function $f(i, t, e, n, r) {
  const s = e.getStroke();
  if (s) {
    const a = i.getBuilder(
      e.getZIndex(),
      "LineString"
    );
    a.setFillStrokeStyle(null, s), a.drawLineString(t, n, r);
  }
  const o = e.getText();
  if (o && o.getText()) {
    const a = i.getBuilder(e.getZIndex(), "Text");
    a.setTextStyle(o), a.drawText(t, n, r);
  }
}
function jf(i, t, e, n, r) {
  const s = e.getStroke();
  if (s) {
    const a = i.getBuilder(
      e.getZIndex(),
      "LineString"
    );
    a.setFillStrokeStyle(null, s), a.drawMultiLineString(t, n, r);
  }
  const o = e.getText();
  if (o && o.getText()) {
    const a = i.getBuilder(e.getZIndex(), "Text");
    a.setTextStyle(o), a.drawText(t, n, r);
  }
}
function Vf(i, t, e, n, r) {
  const s = e.getFill(), o = e.getStroke();
  if (o || s) {
    const l = i.getBuilder(e.getZIndex(), "Polygon");
    l.setFillStrokeStyle(s, o), l.drawMultiPolygon(t, n, r);
  }
  const a = e.getText();
  if (a && a.getText()) {
    const l = i.getBuilder(e.getZIndex(), "Text");
    l.setTextStyle(a), l.drawText(t, n, r);
  }
}
function Wf(i, t, e, n, r, s) {
  const o = e.getImage(), a = e.getText(), l = a && a.getText(), h = s && o && l ? {} : void 0;
  if (o) {
    if (o.getImageState() != H.LOADED)
      return;
    const c = i.getBuilder(e.getZIndex(), "Image");
    c.setImageStyle(o, h), c.drawPoint(t, n, r);
  }
  if (l) {
    const c = i.getBuilder(e.getZIndex(), "Text");
    c.setTextStyle(a, h), c.drawText(t, n, r);
  }
}
function Xf(i, t, e, n, r, s) {
  const o = e.getImage(), a = o && o.getOpacity() !== 0, l = e.getText(), h = l && l.getText(), c = s && a && h ? {} : void 0;
  if (a) {
    if (o.getImageState() != H.LOADED)
      return;
    const u = i.getBuilder(e.getZIndex(), "Image");
    u.setImageStyle(o, c), u.drawMultiPoint(t, n, r);
  }
  if (h) {
    const u = i.getBuilder(e.getZIndex(), "Text");
    u.setTextStyle(l, c), u.drawText(t, n, r);
  }
}
function Yf(i, t, e, n, r) {
  const s = e.getFill(), o = e.getStroke();
  if (s || o) {
    const l = i.getBuilder(e.getZIndex(), "Polygon");
    l.setFillStrokeStyle(s, o), l.drawPolygon(t, n, r);
  }
  const a = e.getText();
  if (a && a.getText()) {
    const l = i.getBuilder(e.getZIndex(), "Text");
    l.setTextStyle(a), l.drawText(t, n, r);
  }
}
let Zf = !1;
function Kf(i, t, e, n, r, s, o) {
  const a = new XMLHttpRequest();
  a.open(
    "GET",
    typeof i == "function" ? i(e, n, r) : i,
    !0
  ), t.getType() == "arraybuffer" && (a.responseType = "arraybuffer"), a.withCredentials = Zf, a.onload = function(l) {
    if (!a.status || a.status >= 200 && a.status < 300) {
      const h = t.getType();
      try {
        let c;
        h == "text" || h == "json" ? c = a.responseText : h == "xml" ? c = a.responseXML || a.responseText : h == "arraybuffer" && (c = /** @type {ArrayBuffer} */
        a.response), c ? s(
          /** @type {Array<FeatureType>} */
          t.readFeatures(c, {
            extent: e,
            featureProjection: r
          }),
          t.readProjection(c)
        ) : o();
      } catch {
        o();
      }
    } else
      o();
  }, a.onerror = o, a.send();
}
function lh(i, t) {
  return function(e, n, r, s, o) {
    Kf(
      i,
      t,
      e,
      n,
      r,
      /**
       * @param {Array<FeatureType>} features The loaded features.
       * @param {import("./proj/Projection.js").default} dataProjection Data
       * projection.
       */
      (a, l) => {
        this.addFeatures(a), s !== void 0 && s(a);
      },
      () => {
        this.changed(), o !== void 0 && o();
      }
    );
  };
}
function Hf(i, t) {
  return [[-1 / 0, -1 / 0, 1 / 0, 1 / 0]];
}
const hh = wt();
class Qt {
  /**
   * @param {Type} type Geometry type.
   * @param {Array<number>} flatCoordinates Flat coordinates. These always need
   *     to be right-handed for polygons.
   * @param {Array<number>} ends Ends.
   * @param {number} stride Stride.
   * @param {Object<string, *>} properties Properties.
   * @param {number|string|undefined} id Feature id.
   */
  constructor(t, e, n, r, s, o) {
    this.styleFunction, this.extent_, this.id_ = o, this.type_ = t, this.flatCoordinates_ = e, this.flatInteriorPoints_ = null, this.flatMidpoints_ = null, this.ends_ = n || null, this.properties_ = s, this.squaredTolerance_, this.stride_ = r, this.simplifiedGeometry_;
  }
  /**
   * Get a feature property by its key.
   * @param {string} key Key
   * @return {*} Value for the requested key.
   * @api
   */
  get(t) {
    return this.properties_[t];
  }
  /**
   * Get the extent of this feature's geometry.
   * @return {import("../extent.js").Extent} Extent.
   * @api
   */
  getExtent() {
    return this.extent_ || (this.extent_ = this.type_ === "Point" ? Qi(this.flatCoordinates_) : va(
      this.flatCoordinates_,
      0,
      this.flatCoordinates_.length,
      2
    )), this.extent_;
  }
  /**
   * @return {Array<number>} Flat interior points.
   */
  getFlatInteriorPoint() {
    if (!this.flatInteriorPoints_) {
      const t = Ue(this.getExtent());
      this.flatInteriorPoints_ = Ga(
        this.flatCoordinates_,
        0,
        this.ends_,
        2,
        t,
        0
      );
    }
    return this.flatInteriorPoints_;
  }
  /**
   * @return {Array<number>} Flat interior points.
   */
  getFlatInteriorPoints() {
    if (!this.flatInteriorPoints_) {
      const t = Lc(this.flatCoordinates_, this.ends_), e = Dc(this.flatCoordinates_, 0, t, 2);
      this.flatInteriorPoints_ = Ic(
        this.flatCoordinates_,
        0,
        t,
        2,
        e
      );
    }
    return this.flatInteriorPoints_;
  }
  /**
   * @return {Array<number>} Flat midpoint.
   */
  getFlatMidpoint() {
    return this.flatMidpoints_ || (this.flatMidpoints_ = ms(
      this.flatCoordinates_,
      0,
      this.flatCoordinates_.length,
      2,
      0.5
    )), this.flatMidpoints_;
  }
  /**
   * @return {Array<number>} Flat midpoints.
   */
  getFlatMidpoints() {
    if (!this.flatMidpoints_) {
      this.flatMidpoints_ = [];
      const t = this.flatCoordinates_;
      let e = 0;
      const n = (
        /** @type {Array<number>} */
        this.ends_
      );
      for (let r = 0, s = n.length; r < s; ++r) {
        const o = n[r], a = ms(t, e, o, 2, 0.5);
        Ge(this.flatMidpoints_, a), e = o;
      }
    }
    return this.flatMidpoints_;
  }
  /**
   * Get the feature identifier.  This is a stable identifier for the feature and
   * is set when reading data from a remote source.
   * @return {number|string|undefined} Id.
   * @api
   */
  getId() {
    return this.id_;
  }
  /**
   * @return {Array<number>} Flat coordinates.
   */
  getOrientedFlatCoordinates() {
    return this.flatCoordinates_;
  }
  /**
   * For API compatibility with {@link module:ol/Feature~Feature}, this method is useful when
   * determining the geometry type in style function (see {@link #getType}).
   * @return {RenderFeature} Feature.
   * @api
   */
  getGeometry() {
    return this;
  }
  /**
   * @param {number} squaredTolerance Squared tolerance.
   * @return {RenderFeature} Simplified geometry.
   */
  getSimplifiedGeometry(t) {
    return this;
  }
  /**
   * Get a transformed and simplified version of the geometry.
   * @param {number} squaredTolerance Squared tolerance.
   * @param {import("../proj.js").TransformFunction} [transform] Optional transform function.
   * @return {RenderFeature} Simplified geometry.
   */
  simplifyTransformed(t, e) {
    return this;
  }
  /**
   * Get the feature properties.
   * @return {Object<string, *>} Feature properties.
   * @api
   */
  getProperties() {
    return this.properties_;
  }
  /**
   * Get an object of all property names and values.  This has the same behavior as getProperties,
   * but is here to conform with the {@link module:ol/Feature~Feature} interface.
   * @return {Object<string, *>?} Object.
   */
  getPropertiesInternal() {
    return this.properties_;
  }
  /**
   * @return {number} Stride.
   */
  getStride() {
    return this.stride_;
  }
  /**
   * @return {import('../style/Style.js').StyleFunction|undefined} Style
   */
  getStyleFunction() {
    return this.styleFunction;
  }
  /**
   * Get the type of this feature's geometry.
   * @return {Type} Geometry type.
   * @api
   */
  getType() {
    return this.type_;
  }
  /**
   * Transform geometry coordinates from tile pixel space to projected.
   *
   * @param {import("../proj.js").ProjectionLike} projection The data projection
   */
  transform(t) {
    t = _t(t);
    const e = t.getExtent(), n = t.getWorldExtent();
    if (e && n) {
      const r = Zt(n) / Zt(e);
      we(
        hh,
        n[0],
        n[3],
        r,
        -r,
        0,
        0,
        0
      ), Be(
        this.flatCoordinates_,
        0,
        this.flatCoordinates_.length,
        2,
        hh,
        this.flatCoordinates_
      );
    }
  }
  /**
   * Apply a transform function to the coordinates of the geometry.
   * The geometry is modified in place.
   * If you do not want the geometry modified in place, first `clone()` it and
   * then use this function on the clone.
   * @param {import("../proj.js").TransformFunction} transformFn Transform function.
   */
  applyTransform(t) {
    t(this.flatCoordinates_, this.flatCoordinates_, this.stride_);
  }
  /**
   * @return {RenderFeature} A cloned render feature.
   */
  clone() {
    return new Qt(
      this.type_,
      this.flatCoordinates_.slice(),
      this.ends_?.slice(),
      this.stride_,
      Object.assign({}, this.properties_),
      this.id_
    );
  }
  /**
   * @return {Array<number>|null} Ends.
   */
  getEnds() {
    return this.ends_;
  }
  /**
   * Add transform and resolution based geometry simplification to this instance.
   * @return {RenderFeature} This render feature.
   */
  enableSimplifyTransformed() {
    return this.simplifyTransformed = xc((t, e) => {
      if (t === this.squaredTolerance_)
        return this.simplifiedGeometry_;
      this.simplifiedGeometry_ = this.clone(), e && this.simplifiedGeometry_.applyTransform(e);
      const n = this.simplifiedGeometry_.getFlatCoordinates();
      let r;
      switch (this.type_) {
        case "LineString":
          n.length = Us(
            n,
            0,
            this.simplifiedGeometry_.flatCoordinates_.length,
            this.simplifiedGeometry_.stride_,
            t,
            n,
            0
          ), r = [n.length];
          break;
        case "MultiLineString":
          r = [], n.length = bc(
            n,
            0,
            this.simplifiedGeometry_.ends_,
            this.simplifiedGeometry_.stride_,
            t,
            n,
            0,
            r
          );
          break;
        case "Polygon":
          r = [], n.length = Oa(
            n,
            0,
            this.simplifiedGeometry_.ends_,
            this.simplifiedGeometry_.stride_,
            Math.sqrt(t),
            n,
            0,
            r
          );
          break;
      }
      return r && (this.simplifiedGeometry_ = new Qt(
        this.type_,
        n,
        r,
        2,
        this.properties_,
        this.id_
      )), this.squaredTolerance_ = t, this.simplifiedGeometry_;
    }), this;
  }
}
Qt.prototype.getFlatCoordinates = Qt.prototype.getOrientedFlatCoordinates;
function Hc(i, t, e = 0, n = i.length - 1, r = qf) {
  for (; n > e; ) {
    if (n - e > 600) {
      const l = n - e + 1, h = t - e + 1, c = Math.log(l), u = 0.5 * Math.exp(2 * c / 3), d = 0.5 * Math.sqrt(c * u * (l - u) / l) * (h - l / 2 < 0 ? -1 : 1), g = Math.max(e, Math.floor(t - h * u / l + d)), f = Math.min(n, Math.floor(t + (l - h) * u / l + d));
      Hc(i, t, g, f, r);
    }
    const s = i[t];
    let o = e, a = n;
    for (ji(i, e, t), r(i[n], s) > 0 && ji(i, e, n); o < a; ) {
      for (ji(i, o, a), o++, a--; r(i[o], s) < 0; ) o++;
      for (; r(i[a], s) > 0; ) a--;
    }
    r(i[e], s) === 0 ? ji(i, e, a) : (a++, ji(i, a, n)), a <= t && (e = a + 1), t <= a && (n = a - 1);
  }
}
function ji(i, t, e) {
  const n = i[t];
  i[t] = i[e], i[e] = n;
}
function qf(i, t) {
  return i < t ? -1 : i > t ? 1 : 0;
}
let qc = class {
  constructor(i = 9) {
    this._maxEntries = Math.max(4, i), this._minEntries = Math.max(2, Math.ceil(this._maxEntries * 0.4)), this.clear();
  }
  all() {
    return this._all(this.data, []);
  }
  search(i) {
    let t = this.data;
    const e = [];
    if (!Jr(i, t)) return e;
    const n = this.toBBox, r = [];
    for (; t; ) {
      for (let s = 0; s < t.children.length; s++) {
        const o = t.children[s], a = t.leaf ? n(o) : o;
        Jr(i, a) && (t.leaf ? e.push(o) : yo(i, a) ? this._all(o, e) : r.push(o));
      }
      t = r.pop();
    }
    return e;
  }
  collides(i) {
    let t = this.data;
    if (!Jr(i, t)) return !1;
    const e = [];
    for (; t; ) {
      for (let n = 0; n < t.children.length; n++) {
        const r = t.children[n], s = t.leaf ? this.toBBox(r) : r;
        if (Jr(i, s)) {
          if (t.leaf || yo(i, s)) return !0;
          e.push(r);
        }
      }
      t = e.pop();
    }
    return !1;
  }
  load(i) {
    if (!(i && i.length)) return this;
    if (i.length < this._minEntries) {
      for (let e = 0; e < i.length; e++)
        this.insert(i[e]);
      return this;
    }
    let t = this._build(i.slice(), 0, i.length - 1, 0);
    if (!this.data.children.length)
      this.data = t;
    else if (this.data.height === t.height)
      this._splitRoot(this.data, t);
    else {
      if (this.data.height < t.height) {
        const e = this.data;
        this.data = t, t = e;
      }
      this._insert(t, this.data.height - t.height - 1, !0);
    }
    return this;
  }
  insert(i) {
    return i && this._insert(i, this.data.height - 1), this;
  }
  clear() {
    return this.data = di([]), this;
  }
  remove(i, t) {
    if (!i) return this;
    let e = this.data;
    const n = this.toBBox(i), r = [], s = [];
    let o, a, l;
    for (; e || r.length; ) {
      if (e || (e = r.pop(), a = r[r.length - 1], o = s.pop(), l = !0), e.leaf) {
        const h = Jf(i, e.children, t);
        if (h !== -1)
          return e.children.splice(h, 1), r.push(e), this._condense(r), this;
      }
      !l && !e.leaf && yo(e, n) ? (r.push(e), s.push(o), o = 0, a = e, e = e.children[0]) : a ? (o++, e = a.children[o], l = !1) : e = null;
    }
    return this;
  }
  toBBox(i) {
    return i;
  }
  compareMinX(i, t) {
    return i.minX - t.minX;
  }
  compareMinY(i, t) {
    return i.minY - t.minY;
  }
  toJSON() {
    return this.data;
  }
  fromJSON(i) {
    return this.data = i, this;
  }
  _all(i, t) {
    const e = [];
    for (; i; )
      i.leaf ? t.push(...i.children) : e.push(...i.children), i = e.pop();
    return t;
  }
  _build(i, t, e, n) {
    const r = e - t + 1;
    let s = this._maxEntries, o;
    if (r <= s)
      return o = di(i.slice(t, e + 1)), ei(o, this.toBBox), o;
    n || (n = Math.ceil(Math.log(r) / Math.log(s)), s = Math.ceil(r / Math.pow(s, n - 1))), o = di([]), o.leaf = !1, o.height = n;
    const a = Math.ceil(r / s), l = a * Math.ceil(Math.sqrt(s));
    ch(i, t, e, l, this.compareMinX);
    for (let h = t; h <= e; h += l) {
      const c = Math.min(h + l - 1, e);
      ch(i, h, c, a, this.compareMinY);
      for (let u = h; u <= c; u += a) {
        const d = Math.min(u + a - 1, c);
        o.children.push(this._build(i, u, d, n - 1));
      }
    }
    return ei(o, this.toBBox), o;
  }
  _chooseSubtree(i, t, e, n) {
    for (; n.push(t), !(t.leaf || n.length - 1 === e); ) {
      let r = 1 / 0, s = 1 / 0, o;
      for (let a = 0; a < t.children.length; a++) {
        const l = t.children[a], h = mo(l), c = e_(i, l) - h;
        c < s ? (s = c, r = h < r ? h : r, o = l) : c === s && h < r && (r = h, o = l);
      }
      t = o || t.children[0];
    }
    return t;
  }
  _insert(i, t, e) {
    const n = e ? i : this.toBBox(i), r = [], s = this._chooseSubtree(n, this.data, t, r);
    for (s.children.push(i), Ki(s, n); t >= 0 && r[t].children.length > this._maxEntries; )
      this._split(r, t), t--;
    this._adjustParentBBoxes(n, r, t);
  }
  // split overflowed node into two
  _split(i, t) {
    const e = i[t], n = e.children.length, r = this._minEntries;
    this._chooseSplitAxis(e, r, n);
    const s = this._chooseSplitIndex(e, r, n), o = di(e.children.splice(s, e.children.length - s));
    o.height = e.height, o.leaf = e.leaf, ei(e, this.toBBox), ei(o, this.toBBox), t ? i[t - 1].children.push(o) : this._splitRoot(e, o);
  }
  _splitRoot(i, t) {
    this.data = di([i, t]), this.data.height = i.height + 1, this.data.leaf = !1, ei(this.data, this.toBBox);
  }
  _chooseSplitIndex(i, t, e) {
    let n, r = 1 / 0, s = 1 / 0;
    for (let o = t; o <= e - t; o++) {
      const a = Zi(i, 0, o, this.toBBox), l = Zi(i, o, e, this.toBBox), h = n_(a, l), c = mo(a) + mo(l);
      h < r ? (r = h, n = o, s = c < s ? c : s) : h === r && c < s && (s = c, n = o);
    }
    return n || e - t;
  }
  // sorts node children by the best axis for split
  _chooseSplitAxis(i, t, e) {
    const n = i.leaf ? this.compareMinX : Qf, r = i.leaf ? this.compareMinY : t_, s = this._allDistMargin(i, t, e, n), o = this._allDistMargin(i, t, e, r);
    s < o && i.children.sort(n);
  }
  // total margin of all possible split distributions where each node is at least m full
  _allDistMargin(i, t, e, n) {
    i.children.sort(n);
    const r = this.toBBox, s = Zi(i, 0, t, r), o = Zi(i, e - t, e, r);
    let a = qr(s) + qr(o);
    for (let l = t; l < e - t; l++) {
      const h = i.children[l];
      Ki(s, i.leaf ? r(h) : h), a += qr(s);
    }
    for (let l = e - t - 1; l >= t; l--) {
      const h = i.children[l];
      Ki(o, i.leaf ? r(h) : h), a += qr(o);
    }
    return a;
  }
  _adjustParentBBoxes(i, t, e) {
    for (let n = e; n >= 0; n--)
      Ki(t[n], i);
  }
  _condense(i) {
    for (let t = i.length - 1, e; t >= 0; t--)
      i[t].children.length === 0 ? t > 0 ? (e = i[t - 1].children, e.splice(e.indexOf(i[t]), 1)) : this.clear() : ei(i[t], this.toBBox);
  }
};
function Jf(i, t, e) {
  if (!e) return t.indexOf(i);
  for (let n = 0; n < t.length; n++)
    if (e(i, t[n])) return n;
  return -1;
}
function ei(i, t) {
  Zi(i, 0, i.children.length, t, i);
}
function Zi(i, t, e, n, r) {
  r || (r = di(null)), r.minX = 1 / 0, r.minY = 1 / 0, r.maxX = -1 / 0, r.maxY = -1 / 0;
  for (let s = t; s < e; s++) {
    const o = i.children[s];
    Ki(r, i.leaf ? n(o) : o);
  }
  return r;
}
function Ki(i, t) {
  return i.minX = Math.min(i.minX, t.minX), i.minY = Math.min(i.minY, t.minY), i.maxX = Math.max(i.maxX, t.maxX), i.maxY = Math.max(i.maxY, t.maxY), i;
}
function Qf(i, t) {
  return i.minX - t.minX;
}
function t_(i, t) {
  return i.minY - t.minY;
}
function mo(i) {
  return (i.maxX - i.minX) * (i.maxY - i.minY);
}
function qr(i) {
  return i.maxX - i.minX + (i.maxY - i.minY);
}
function e_(i, t) {
  return (Math.max(t.maxX, i.maxX) - Math.min(t.minX, i.minX)) * (Math.max(t.maxY, i.maxY) - Math.min(t.minY, i.minY));
}
function n_(i, t) {
  const e = Math.max(i.minX, t.minX), n = Math.max(i.minY, t.minY), r = Math.min(i.maxX, t.maxX), s = Math.min(i.maxY, t.maxY);
  return Math.max(0, r - e) * Math.max(0, s - n);
}
function yo(i, t) {
  return i.minX <= t.minX && i.minY <= t.minY && t.maxX <= i.maxX && t.maxY <= i.maxY;
}
function Jr(i, t) {
  return t.minX <= i.maxX && t.minY <= i.maxY && t.maxX >= i.minX && t.maxY >= i.minY;
}
function di(i) {
  return {
    children: i,
    height: 1,
    leaf: !0,
    minX: 1 / 0,
    minY: 1 / 0,
    maxX: -1 / 0,
    maxY: -1 / 0
  };
}
function ch(i, t, e, n, r) {
  const s = [t, e];
  for (; s.length; ) {
    if (e = s.pop(), t = s.pop(), e - t <= n) continue;
    const o = t + Math.ceil((e - t) / n / 2) * n;
    Hc(i, o, t, e, r), s.push(t, o, o, e);
  }
}
class sa {
  /**
   * @param {number} [maxEntries] Max entries.
   */
  constructor(t) {
    this.rbush_ = new qc(t), this.items_ = {};
  }
  /**
   * Insert a value into the RBush.
   * @param {import("../extent.js").Extent} extent Extent.
   * @param {T} value Value.
   */
  insert(t, e) {
    const n = {
      minX: t[0],
      minY: t[1],
      maxX: t[2],
      maxY: t[3],
      value: e
    };
    this.rbush_.insert(n), this.items_[z(e)] = n;
  }
  /**
   * Bulk-insert values into the RBush.
   * @param {Array<import("../extent.js").Extent>} extents Extents.
   * @param {Array<T>} values Values.
   */
  load(t, e) {
    const n = new Array(e.length);
    for (let r = 0, s = e.length; r < s; r++) {
      const o = t[r], a = e[r], l = {
        minX: o[0],
        minY: o[1],
        maxX: o[2],
        maxY: o[3],
        value: a
      };
      n[r] = l, this.items_[z(a)] = l;
    }
    this.rbush_.load(n);
  }
  /**
   * Remove a value from the RBush.
   * @param {T} value Value.
   * @return {boolean} Removed.
   */
  remove(t) {
    const e = z(t), n = this.items_[e];
    return delete this.items_[e], this.rbush_.remove(n) !== null;
  }
  /**
   * Update the extent of a value in the RBush.
   * @param {import("../extent.js").Extent} extent Extent.
   * @param {T} value Value.
   */
  update(t, e) {
    const n = this.items_[z(e)], r = [n.minX, n.minY, n.maxX, n.maxY];
    wi(r, t) || (this.remove(e), this.insert(t, e));
  }
  /**
   * Return all values in the RBush.
   * @return {Array<T>} All.
   */
  getAll() {
    return this.rbush_.all().map(function(t) {
      return t.value;
    });
  }
  /**
   * Return all values in the given extent.
   * @param {import("../extent.js").Extent} extent Extent.
   * @return {Array<T>} All in extent.
   */
  getInExtent(t) {
    const e = {
      minX: t[0],
      minY: t[1],
      maxX: t[2],
      maxY: t[3]
    };
    return this.rbush_.search(e).map(function(n) {
      return n.value;
    });
  }
  /**
   * Calls a callback function with each value in the tree.
   * If the callback returns a truthy value, this value is returned without
   * checking the rest of the tree.
   * @param {function(T): R} callback Callback.
   * @return {R|undefined} Callback return value.
   * @template R
   */
  forEach(t) {
    return this.forEach_(this.getAll(), t);
  }
  /**
   * Calls a callback function with each value in the provided extent.
   * @param {import("../extent.js").Extent} extent Extent.
   * @param {function(T): R} callback Callback.
   * @return {R|undefined} Callback return value.
   * @template R
   */
  forEachInExtent(t, e) {
    return this.forEach_(this.getInExtent(t), e);
  }
  /**
   * @param {Array<T>} values Values.
   * @param {function(T): R} callback Callback.
   * @return {R|undefined} Callback return value.
   * @template R
   * @private
   */
  forEach_(t, e) {
    let n;
    for (let r = 0, s = t.length; r < s; r++)
      if (n = e(t[r]), n)
        return n;
    return n;
  }
  /**
   * @return {boolean} Is empty.
   */
  isEmpty() {
    return Bn(this.items_);
  }
  /**
   * Remove all values from the RBush.
   */
  clear() {
    this.rbush_.clear(), this.items_ = {};
  }
  /**
   * @param {import("../extent.js").Extent} [extent] Extent.
   * @return {import("../extent.js").Extent} Extent.
   */
  getExtent(t) {
    const e = this.rbush_.toJSON();
    return Sn(e.minX, e.minY, e.maxX, e.maxY, t);
  }
  /**
   * @param {RBush<T>} rbush R-Tree.
   */
  concat(t) {
    this.rbush_.load(t.rbush_.all());
    for (const e in t.items_)
      this.items_[e] = t.items_[e];
  }
}
class Jc extends $e {
  /**
   * @param {Options} options Source options.
   */
  constructor(t) {
    super(), this.projection = _t(t.projection), this.attributions_ = uh(t.attributions), this.attributionsCollapsible_ = t.attributionsCollapsible ?? !0, this.loading = !1, this.state_ = t.state !== void 0 ? t.state : "ready", this.wrapX_ = t.wrapX !== void 0 ? t.wrapX : !1, this.interpolate_ = !!t.interpolate, this.viewResolver = null, this.viewRejector = null;
    const e = this;
    this.viewPromise_ = new Promise(function(n, r) {
      e.viewResolver = n, e.viewRejector = r;
    });
  }
  /**
   * Get the attribution function for the source.
   * @return {?Attribution} Attribution function.
   * @api
   */
  getAttributions() {
    return this.attributions_;
  }
  /**
   * @return {boolean} Attributions are collapsible.
   * @api
   */
  getAttributionsCollapsible() {
    return this.attributionsCollapsible_;
  }
  /**
   * Get the projection of the source.
   * @return {import("../proj/Projection.js").default|null} Projection.
   * @api
   */
  getProjection() {
    return this.projection;
  }
  /**
   * @param {import("../proj/Projection").default} [projection] Projection.
   * @return {Array<number>|null} Resolutions.
   */
  getResolutions(t) {
    return null;
  }
  /**
   * @return {Promise<import("../View.js").ViewOptions>} A promise for view-related properties.
   */
  getView() {
    return this.viewPromise_;
  }
  /**
   * Get the state of the source, see {@link import("./Source.js").State} for possible states.
   * @return {import("./Source.js").State} State.
   * @api
   */
  getState() {
    return this.state_;
  }
  /**
   * @return {boolean|undefined} Wrap X.
   */
  getWrapX() {
    return this.wrapX_;
  }
  /**
   * @return {boolean} Use linear interpolation when resampling.
   */
  getInterpolate() {
    return this.interpolate_;
  }
  /**
   * Refreshes the source. The source will be cleared, and data from the server will be reloaded.
   * @api
   */
  refresh() {
    this.changed();
  }
  /**
   * Set the attributions of the source.
   * @param {AttributionLike|undefined} attributions Attributions.
   *     Can be passed as `string`, `Array<string>`, {@link module:ol/source/Source~Attribution},
   *     or `undefined`.
   * @api
   */
  setAttributions(t) {
    this.attributions_ = uh(t), this.changed();
  }
  /**
   * Set the state of the source.
   * @param {import("./Source.js").State} state State.
   */
  setState(t) {
    this.state_ = t, this.changed();
  }
}
function uh(i) {
  return i ? typeof i == "function" ? i : (Array.isArray(i) || (i = [i]), (t) => i) : null;
}
const Pt = {
  /**
   * Triggered when a feature is added to the source.
   * @event module:ol/source/Vector.VectorSourceEvent#addfeature
   * @api
   */
  ADDFEATURE: "addfeature",
  /**
   * Triggered when a feature is updated.
   * @event module:ol/source/Vector.VectorSourceEvent#changefeature
   * @api
   */
  CHANGEFEATURE: "changefeature",
  /**
   * Triggered when the clear method is called on the source.
   * @event module:ol/source/Vector.VectorSourceEvent#clear
   * @api
   */
  CLEAR: "clear",
  /**
   * Triggered when a feature is removed from the source.
   * See {@link module:ol/source/Vector~VectorSource#clear source.clear()} for exceptions.
   * @event module:ol/source/Vector.VectorSourceEvent#removefeature
   * @api
   */
  REMOVEFEATURE: "removefeature",
  /**
   * Triggered when features starts loading.
   * @event module:ol/source/Vector.VectorSourceEvent#featuresloadstart
   * @api
   */
  FEATURESLOADSTART: "featuresloadstart",
  /**
   * Triggered when features finishes loading.
   * @event module:ol/source/Vector.VectorSourceEvent#featuresloadend
   * @api
   */
  FEATURESLOADEND: "featuresloadend",
  /**
   * Triggered if feature loading results in an error.
   * @event module:ol/source/Vector.VectorSourceEvent#featuresloaderror
   * @api
   */
  FEATURESLOADERROR: "featuresloaderror"
};
class ln extends Pe {
  /**
   * @param {string} type Type.
   * @param {FeatureType} [feature] Feature.
   * @param {Array<FeatureType>} [features] Features.
   */
  constructor(t, e, n) {
    super(t), this.feature = e, this.features = n;
  }
}
class Xa extends Jc {
  /**
   * @param {Options<FeatureType>} [options] Vector source options.
   */
  constructor(t) {
    t = t || {}, super({
      attributions: t.attributions,
      interpolate: !0,
      projection: void 0,
      state: "ready",
      wrapX: t.wrapX !== void 0 ? t.wrapX : !0
    }), this.on, this.once, this.un, this.loader_ = ur, this.format_ = t.format || null, this.overlaps_ = t.overlaps === void 0 ? !0 : t.overlaps, this.url_ = t.url, t.loader !== void 0 ? this.loader_ = t.loader : this.url_ !== void 0 && (nt(this.format_, "`format` must be set when `url` is set"), this.loader_ = lh(this.url_, this.format_)), this.strategy_ = t.strategy !== void 0 ? t.strategy : Hf;
    const e = t.useSpatialIndex !== void 0 ? t.useSpatialIndex : !0;
    this.featuresRtree_ = e ? new sa() : null, this.loadedExtentsRtree_ = new sa(), this.loadingExtentsCount_ = 0, this.nullGeometryFeatures_ = {}, this.idIndex_ = {}, this.uidIndex_ = {}, this.featureChangeKeys_ = {}, this.featuresCollection_ = null;
    let n, r;
    Array.isArray(t.features) ? r = t.features : t.features && (n = t.features, r = n.getArray()), !e && n === void 0 && (n = new Nt(r)), r !== void 0 && this.addFeaturesInternal(r), n !== void 0 && this.bindFeaturesCollection_(n);
  }
  /**
   * Add a single feature to the source.  If you want to add a batch of features
   * at once, call {@link module:ol/source/Vector~VectorSource#addFeatures #addFeatures()}
   * instead. A feature will not be added to the source if feature with
   * the same id is already there. The reason for this behavior is to avoid
   * feature duplication when using bbox or tile loading strategies.
   * Note: this also applies if a {@link module:ol/Collection~Collection} is used for features,
   * meaning that if a feature with a duplicate id is added in the collection, it will
   * be removed from it right away.
   * @param {FeatureType} feature Feature to add.
   * @api
   */
  addFeature(t) {
    this.addFeatureInternal(t), this.changed();
  }
  /**
   * Add a feature without firing a `change` event.
   * @param {FeatureType} feature Feature.
   * @protected
   */
  addFeatureInternal(t) {
    const e = z(t);
    if (!this.addToIndex_(e, t)) {
      this.featuresCollection_ && this.featuresCollection_.remove(t);
      return;
    }
    this.setupChangeEvents_(e, t);
    const n = t.getGeometry();
    if (n) {
      const r = n.getExtent();
      this.featuresRtree_ && this.featuresRtree_.insert(r, t);
    } else
      this.nullGeometryFeatures_[e] = t;
    this.dispatchEvent(
      new ln(Pt.ADDFEATURE, t)
    );
  }
  /**
   * @param {string} featureKey Unique identifier for the feature.
   * @param {FeatureType} feature The feature.
   * @private
   */
  setupChangeEvents_(t, e) {
    e instanceof Qt || (this.featureChangeKeys_[t] = [
      tt(e, Y.CHANGE, this.handleFeatureChange_, this),
      tt(
        e,
        Pi.PROPERTYCHANGE,
        this.handleFeatureChange_,
        this
      )
    ]);
  }
  /**
   * @param {string} featureKey Unique identifier for the feature.
   * @param {FeatureType} feature The feature.
   * @return {boolean} The feature is "valid", in the sense that it is also a
   *     candidate for insertion into the Rtree.
   * @private
   */
  addToIndex_(t, e) {
    let n = !0;
    if (e.getId() !== void 0) {
      const r = String(e.getId());
      if (!(r in this.idIndex_))
        this.idIndex_[r] = e;
      else if (e instanceof Qt) {
        const s = this.idIndex_[r];
        s instanceof Qt ? Array.isArray(s) ? s.push(e) : this.idIndex_[r] = [s, e] : n = !1;
      } else
        n = !1;
    }
    return n && (nt(
      !(t in this.uidIndex_),
      "The passed `feature` was already added to the source"
    ), this.uidIndex_[t] = e), n;
  }
  /**
   * Add a batch of features to the source.
   * @param {Array<FeatureType>} features Features to add.
   * @api
   */
  addFeatures(t) {
    this.addFeaturesInternal(t), this.changed();
  }
  /**
   * Add features without firing a `change` event.
   * @param {Array<FeatureType>} features Features.
   * @protected
   */
  addFeaturesInternal(t) {
    const e = [], n = [], r = [];
    for (let s = 0, o = t.length; s < o; s++) {
      const a = t[s], l = z(a);
      this.addToIndex_(l, a) && n.push(a);
    }
    for (let s = 0, o = n.length; s < o; s++) {
      const a = n[s], l = z(a);
      this.setupChangeEvents_(l, a);
      const h = a.getGeometry();
      if (h) {
        const c = h.getExtent();
        e.push(c), r.push(a);
      } else
        this.nullGeometryFeatures_[l] = a;
    }
    if (this.featuresRtree_ && this.featuresRtree_.load(e, r), this.hasListener(Pt.ADDFEATURE))
      for (let s = 0, o = n.length; s < o; s++)
        this.dispatchEvent(
          new ln(Pt.ADDFEATURE, n[s])
        );
  }
  /**
   * @param {!Collection<FeatureType>} collection Collection.
   * @private
   */
  bindFeaturesCollection_(t) {
    let e = !1;
    this.addEventListener(
      Pt.ADDFEATURE,
      /**
       * @param {VectorSourceEvent<FeatureType>} evt The vector source event
       */
      function(n) {
        e || (e = !0, t.push(n.feature), e = !1);
      }
    ), this.addEventListener(
      Pt.REMOVEFEATURE,
      /**
       * @param {VectorSourceEvent<FeatureType>} evt The vector source event
       */
      function(n) {
        e || (e = !0, t.remove(n.feature), e = !1);
      }
    ), t.addEventListener(
      zt.ADD,
      /**
       * @param {import("../Collection.js").CollectionEvent<FeatureType>} evt The collection event
       */
      (n) => {
        e || (e = !0, this.addFeature(n.element), e = !1);
      }
    ), t.addEventListener(
      zt.REMOVE,
      /**
       * @param {import("../Collection.js").CollectionEvent<FeatureType>} evt The collection event
       */
      (n) => {
        e || (e = !0, this.removeFeature(n.element), e = !1);
      }
    ), this.featuresCollection_ = t;
  }
  /**
   * Remove all features from the source.
   * @param {boolean} [fast] Skip dispatching of {@link module:ol/source/Vector.VectorSourceEvent#event:removefeature} events.
   * @api
   */
  clear(t) {
    if (t) {
      for (const n in this.featureChangeKeys_)
        this.featureChangeKeys_[n].forEach(ht);
      this.featuresCollection_ || (this.featureChangeKeys_ = {}, this.idIndex_ = {}, this.uidIndex_ = {});
    } else if (this.featuresRtree_) {
      this.featuresRtree_.forEach((n) => {
        this.removeFeatureInternal(n);
      });
      for (const n in this.nullGeometryFeatures_)
        this.removeFeatureInternal(this.nullGeometryFeatures_[n]);
    }
    this.featuresCollection_ && this.featuresCollection_.clear(), this.featuresRtree_ && this.featuresRtree_.clear(), this.nullGeometryFeatures_ = {};
    const e = new ln(Pt.CLEAR);
    this.dispatchEvent(e), this.changed();
  }
  /**
   * Iterate through all features on the source, calling the provided callback
   * with each one.  If the callback returns any "truthy" value, iteration will
   * stop and the function will return the same value.
   * Note: this function only iterate through the feature that have a defined geometry.
   *
   * @param {function(FeatureType): T} callback Called with each feature
   *     on the source.  Return a truthy value to stop iteration.
   * @return {T|undefined} The return value from the last call to the callback.
   * @template T
   * @api
   */
  forEachFeature(t) {
    if (this.featuresRtree_)
      return this.featuresRtree_.forEach(t);
    this.featuresCollection_ && this.featuresCollection_.forEach(t);
  }
  /**
   * Iterate through all features whose geometries contain the provided
   * coordinate, calling the callback with each feature.  If the callback returns
   * a "truthy" value, iteration will stop and the function will return the same
   * value.
   *
   * For {@link module:ol/render/Feature~RenderFeature} features, the callback will be
   * called for all features.
   *
   * @param {import("../coordinate.js").Coordinate} coordinate Coordinate.
   * @param {function(FeatureType): T} callback Called with each feature
   *     whose goemetry contains the provided coordinate.
   * @return {T|undefined} The return value from the last call to the callback.
   * @template T
   */
  forEachFeatureAtCoordinateDirect(t, e) {
    const n = [t[0], t[1], t[0], t[1]];
    return this.forEachFeatureInExtent(n, function(r) {
      const s = r.getGeometry();
      if (s instanceof Qt || s.intersectsCoordinate(t))
        return e(r);
    });
  }
  /**
   * Iterate through all features whose bounding box intersects the provided
   * extent (note that the feature's geometry may not intersect the extent),
   * calling the callback with each feature.  If the callback returns a "truthy"
   * value, iteration will stop and the function will return the same value.
   *
   * If you are interested in features whose geometry intersects an extent, call
   * the {@link module:ol/source/Vector~VectorSource#forEachFeatureIntersectingExtent #forEachFeatureIntersectingExtent()} method instead.
   *
   * When `useSpatialIndex` is set to false, this method will loop through all
   * features, equivalent to {@link module:ol/source/Vector~VectorSource#forEachFeature #forEachFeature()}.
   *
   * @param {import("../extent.js").Extent} extent Extent.
   * @param {function(FeatureType): T} callback Called with each feature
   *     whose bounding box intersects the provided extent.
   * @return {T|undefined} The return value from the last call to the callback.
   * @template T
   * @api
   */
  forEachFeatureInExtent(t, e) {
    if (this.featuresRtree_)
      return this.featuresRtree_.forEachInExtent(t, e);
    this.featuresCollection_ && this.featuresCollection_.forEach(e);
  }
  /**
   * Iterate through all features whose geometry intersects the provided extent,
   * calling the callback with each feature.  If the callback returns a "truthy"
   * value, iteration will stop and the function will return the same value.
   *
   * If you only want to test for bounding box intersection, call the
   * {@link module:ol/source/Vector~VectorSource#forEachFeatureInExtent #forEachFeatureInExtent()} method instead.
   *
   * @param {import("../extent.js").Extent} extent Extent.
   * @param {function(FeatureType): T} callback Called with each feature
   *     whose geometry intersects the provided extent.
   * @return {T|undefined} The return value from the last call to the callback.
   * @template T
   * @api
   */
  forEachFeatureIntersectingExtent(t, e) {
    return this.forEachFeatureInExtent(
      t,
      /**
       * @param {FeatureType} feature Feature.
       * @return {T|undefined} The return value from the last call to the callback.
       */
      function(n) {
        const r = n.getGeometry();
        if (r instanceof Qt || r.intersectsExtent(t)) {
          const s = e(n);
          if (s)
            return s;
        }
      }
    );
  }
  /**
   * Get the features collection associated with this source. Will be `null`
   * unless the source was configured with `useSpatialIndex` set to `false`, or
   * with a {@link module:ol/Collection~Collection} as `features`.
   * @return {Collection<FeatureType>|null} The collection of features.
   * @api
   */
  getFeaturesCollection() {
    return this.featuresCollection_;
  }
  /**
   * Get a snapshot of the features currently on the source in random order. The returned array
   * is a copy, the features are references to the features in the source.
   * @return {Array<FeatureType>} Features.
   * @api
   */
  getFeatures() {
    let t;
    return this.featuresCollection_ ? t = this.featuresCollection_.getArray().slice(0) : this.featuresRtree_ && (t = this.featuresRtree_.getAll(), Bn(this.nullGeometryFeatures_) || Ge(t, Object.values(this.nullGeometryFeatures_))), t;
  }
  /**
   * Get all features whose geometry intersects the provided coordinate.
   * @param {import("../coordinate.js").Coordinate} coordinate Coordinate.
   * @return {Array<FeatureType>} Features.
   * @api
   */
  getFeaturesAtCoordinate(t) {
    const e = [];
    return this.forEachFeatureAtCoordinateDirect(t, function(n) {
      e.push(n);
    }), e;
  }
  /**
   * Get all features whose bounding box intersects the provided extent.  Note that this returns an array of
   * all features intersecting the given extent in random order (so it may include
   * features whose geometries do not intersect the extent).
   *
   * When `useSpatialIndex` is set to false, this method will return all
   * features.
   *
   * @param {import("../extent.js").Extent} extent Extent.
   * @param {import("../proj/Projection.js").default} [projection] Include features
   * where `extent` exceeds the x-axis bounds of `projection` and wraps around the world.
   * @return {Array<FeatureType>} Features.
   * @api
   */
  getFeaturesInExtent(t, e) {
    if (this.featuresRtree_) {
      if (!(e && e.canWrapX() && this.getWrapX()))
        return this.featuresRtree_.getInExtent(t);
      const n = uc(t, e);
      return [].concat(
        ...n.map((r) => this.featuresRtree_.getInExtent(r))
      );
    }
    return this.featuresCollection_ ? this.featuresCollection_.getArray().slice(0) : [];
  }
  /**
   * Get the closest feature to the provided coordinate.
   *
   * This method is not available when the source is configured with
   * `useSpatialIndex` set to `false` and the features in this source are of type
   * {@link module:ol/Feature~Feature}.
   * @param {import("../coordinate.js").Coordinate} coordinate Coordinate.
   * @param {function(FeatureType):boolean} [filter] Feature filter function.
   *     The filter function will receive one argument, the {@link module:ol/Feature~Feature feature}
   *     and it should return a boolean value. By default, no filtering is made.
   * @return {FeatureType|null} Closest feature (or `null` if none found).
   * @api
   */
  getClosestFeatureToCoordinate(t, e) {
    const n = t[0], r = t[1];
    let s = null;
    const o = [NaN, NaN];
    let a = 1 / 0;
    const l = [-1 / 0, -1 / 0, 1 / 0, 1 / 0];
    return e = e || zn, this.featuresRtree_.forEachInExtent(
      l,
      /**
       * @param {FeatureType} feature Feature.
       */
      function(h) {
        if (e(h)) {
          const c = h.getGeometry(), u = a;
          if (a = c instanceof Qt ? 0 : c.closestPointXY(n, r, o, a), a < u) {
            s = h;
            const d = Math.sqrt(a);
            l[0] = n - d, l[1] = r - d, l[2] = n + d, l[3] = r + d;
          }
        }
      }
    ), s;
  }
  /**
   * Get the extent of the features currently in the source.
   *
   * This method is not available when the source is configured with
   * `useSpatialIndex` set to `false`.
   * @param {import("../extent.js").Extent} [extent] Destination extent. If provided, no new extent
   *     will be created. Instead, that extent's coordinates will be overwritten.
   * @return {import("../extent.js").Extent} Extent.
   * @api
   */
  getExtent(t) {
    return this.featuresRtree_.getExtent(t);
  }
  /**
   * Get a feature by its identifier (the value returned by feature.getId()). When `RenderFeature`s
   * are used, `getFeatureById()` can return an array of `RenderFeature`s. This allows for handling
   * of `GeometryCollection` geometries, where format readers create one `RenderFeature` per
   * `GeometryCollection` member.
   * Note that the index treats string and numeric identifiers as the same.  So
   * `source.getFeatureById(2)` will return a feature with id `'2'` or `2`.
   *
   * @param {string|number} id Feature identifier.
   * @return {FeatureClassOrArrayOfRenderFeatures<FeatureType>|null} The feature (or `null` if not found).
   * @api
   */
  getFeatureById(t) {
    const e = this.idIndex_[t.toString()];
    return e !== void 0 ? (
      /** @type {FeatureClassOrArrayOfRenderFeatures<FeatureType>} */
      e
    ) : null;
  }
  /**
   * Get a feature by its internal unique identifier (using `getUid`).
   *
   * @param {string} uid Feature identifier.
   * @return {FeatureType|null} The feature (or `null` if not found).
   */
  getFeatureByUid(t) {
    const e = this.uidIndex_[t];
    return e !== void 0 ? e : null;
  }
  /**
   * Get the format associated with this source.
   *
   * @return {import("../format/Feature.js").default<FeatureType>|null}} The feature format.
   * @api
   */
  getFormat() {
    return this.format_;
  }
  /**
   * @return {boolean} The source can have overlapping geometries.
   */
  getOverlaps() {
    return this.overlaps_;
  }
  /**
   * Get the url associated with this source.
   *
   * @return {string|import("../featureloader.js").FeatureUrlFunction|undefined} The url.
   * @api
   */
  getUrl() {
    return this.url_;
  }
  /**
   * @param {Event} event Event.
   * @private
   */
  handleFeatureChange_(t) {
    const e = (
      /** @type {FeatureType} */
      t.target
    ), n = z(e), r = e.getGeometry();
    if (!r)
      n in this.nullGeometryFeatures_ || (this.featuresRtree_ && this.featuresRtree_.remove(e), this.nullGeometryFeatures_[n] = e);
    else {
      const o = r.getExtent();
      n in this.nullGeometryFeatures_ ? (delete this.nullGeometryFeatures_[n], this.featuresRtree_ && this.featuresRtree_.insert(o, e)) : this.featuresRtree_ && this.featuresRtree_.update(o, e);
    }
    const s = e.getId();
    if (s !== void 0) {
      const o = s.toString();
      this.idIndex_[o] !== e && (this.removeFromIdIndex_(e), this.idIndex_[o] = e);
    } else
      this.removeFromIdIndex_(e), this.uidIndex_[n] = e;
    this.changed(), this.dispatchEvent(
      new ln(Pt.CHANGEFEATURE, e)
    );
  }
  /**
   * Returns true if the feature is contained within the source.
   * @param {FeatureType} feature Feature.
   * @return {boolean} Has feature.
   * @api
   */
  hasFeature(t) {
    const e = t.getId();
    return e !== void 0 ? e in this.idIndex_ : z(t) in this.uidIndex_;
  }
  /**
   * @return {boolean} Is empty.
   */
  isEmpty() {
    return this.featuresRtree_ ? this.featuresRtree_.isEmpty() && Bn(this.nullGeometryFeatures_) : this.featuresCollection_ ? this.featuresCollection_.getLength() === 0 : !0;
  }
  /**
   * @param {import("../extent.js").Extent} extent Extent.
   * @param {number} resolution Resolution.
   * @param {import("../proj/Projection.js").default} projection Projection.
   */
  loadFeatures(t, e, n) {
    const r = this.loadedExtentsRtree_, s = this.strategy_(t, e, n);
    for (let o = 0, a = s.length; o < a; ++o) {
      const l = s[o];
      r.forEachInExtent(
        l,
        /**
         * @param {{extent: import("../extent.js").Extent}} object Object.
         * @return {boolean} Contains.
         */
        function(h) {
          return Xi(h.extent, l);
        }
      ) || (++this.loadingExtentsCount_, this.dispatchEvent(
        new ln(Pt.FEATURESLOADSTART)
      ), this.loader_.call(
        this,
        l,
        e,
        n,
        /**
         * @param {Array<FeatureType>} features Loaded features
         */
        (h) => {
          --this.loadingExtentsCount_, this.dispatchEvent(
            new ln(
              Pt.FEATURESLOADEND,
              void 0,
              h
            )
          );
        },
        () => {
          --this.loadingExtentsCount_, this.dispatchEvent(
            new ln(Pt.FEATURESLOADERROR)
          );
        }
      ), r.insert(l, { extent: l.slice() }));
    }
    this.loading = this.loader_.length < 4 ? !1 : this.loadingExtentsCount_ > 0;
  }
  /**
   * @override
   */
  refresh() {
    this.clear(!0), this.loadedExtentsRtree_.clear(), super.refresh();
  }
  /**
   * Remove an extent from the list of loaded extents.
   * @param {import("../extent.js").Extent} extent Extent.
   * @api
   */
  removeLoadedExtent(t) {
    const e = this.loadedExtentsRtree_, n = e.forEachInExtent(t, function(r) {
      if (wi(r.extent, t))
        return r;
    });
    n && e.remove(n);
  }
  /**
   * Batch remove features from the source.  If you want to remove all features
   * at once, use the {@link module:ol/source/Vector~VectorSource#clear #clear()} method
   * instead.
   * @param {Array<FeatureType>} features Features to remove.
   * @api
   */
  removeFeatures(t) {
    let e = !1;
    for (let n = 0, r = t.length; n < r; ++n)
      e = this.removeFeatureInternal(t[n]) || e;
    e && this.changed();
  }
  /**
   * Remove a single feature from the source. If you want to batch remove
   * features, use the {@link module:ol/source/Vector~VectorSource#removeFeatures #removeFeatures()} method
   * instead.
   * @param {FeatureType} feature Feature to remove.
   * @api
   */
  removeFeature(t) {
    t && this.removeFeatureInternal(t) && this.changed();
  }
  /**
   * Remove feature without firing a `change` event.
   * @param {FeatureType} feature Feature.
   * @return {boolean} True if the feature was removed, false if it was not found.
   * @protected
   */
  removeFeatureInternal(t) {
    const e = z(t);
    if (!(e in this.uidIndex_))
      return !1;
    e in this.nullGeometryFeatures_ ? delete this.nullGeometryFeatures_[e] : this.featuresRtree_ && this.featuresRtree_.remove(t), this.featureChangeKeys_[e]?.forEach(ht), delete this.featureChangeKeys_[e];
    const n = t.getId();
    if (n !== void 0) {
      const r = n.toString(), s = this.idIndex_[r];
      s === t ? delete this.idIndex_[r] : Array.isArray(s) && (s.splice(s.indexOf(t), 1), s.length === 1 && (this.idIndex_[r] = s[0]));
    }
    return delete this.uidIndex_[e], this.hasListener(Pt.REMOVEFEATURE) && this.dispatchEvent(
      new ln(Pt.REMOVEFEATURE, t)
    ), !0;
  }
  /**
   * Remove a feature from the id index.  Called internally when the feature id
   * may have changed.
   * @param {FeatureType} feature The feature.
   * @private
   */
  removeFromIdIndex_(t) {
    for (const e in this.idIndex_)
      if (this.idIndex_[e] === t) {
        delete this.idIndex_[e];
        break;
      }
  }
  /**
   * Set the new loader of the source. The next render cycle will use the
   * new loader.
   * @param {import("../featureloader.js").FeatureLoader} loader The loader to set.
   * @api
   */
  setLoader(t) {
    this.loader_ = t;
  }
  /**
   * Points the source to a new url. The next render cycle will use the new url.
   * @param {string|import("../featureloader.js").FeatureUrlFunction} url Url.
   * @api
   */
  setUrl(t) {
    nt(this.format_, "`format` must be set when `url` is set"), this.url_ = t, this.setLoader(lh(t, this.format_));
  }
  /**
   * @param {boolean} overlaps The source can have overlapping geometries.
   */
  setOverlaps(t) {
    this.overlaps_ = t, this.changed();
  }
}
const It = {
  ANIMATING: 0,
  INTERACTING: 1
}, $ = {
  BEGIN_GEOMETRY: 0,
  BEGIN_PATH: 1,
  CIRCLE: 2,
  CLOSE_PATH: 3,
  CUSTOM: 4,
  DRAW_CHARS: 5,
  DRAW_IMAGE: 6,
  END_GEOMETRY: 7,
  FILL: 8,
  MOVE_TO_LINE_TO: 9,
  SET_FILL_STYLE: 10,
  SET_STROKE_STYLE: 11,
  STROKE: 12
}, Qr = [$.FILL], xn = [$.STROKE], Dn = [$.BEGIN_PATH], dh = [$.CLOSE_PATH];
class kr extends Xc {
  /**
   * @param {number} tolerance Tolerance.
   * @param {import("../../extent.js").Extent} maxExtent Maximum extent.
   * @param {number} resolution Resolution.
   * @param {number} pixelRatio Pixel ratio.
   */
  constructor(t, e, n, r) {
    super(), this.tolerance = t, this.maxExtent = e, this.pixelRatio = r, this.maxLineWidth = 0, this.resolution = n, this.beginGeometryInstruction1_ = null, this.beginGeometryInstruction2_ = null, this.bufferedMaxExtent_ = null, this.instructions = [], this.coordinates = [], this.tmpCoordinate_ = [], this.hitDetectionInstructions = [], this.state = /** @type {import("../canvas.js").FillStrokeState} */
    {};
  }
  /**
   * @protected
   * @param {Array<number>} dashArray Dash array.
   * @return {Array<number>} Dash array with pixel ratio applied
   */
  applyPixelRatio(t) {
    const e = this.pixelRatio;
    return e == 1 ? t : t.map(function(n) {
      return n * e;
    });
  }
  /**
   * @param {Array<number>} flatCoordinates Flat coordinates.
   * @param {number} stride Stride.
   * @protected
   * @return {number} My end
   */
  appendFlatPointCoordinates(t, e) {
    const n = this.getBufferedMaxExtent(), r = this.tmpCoordinate_, s = this.coordinates;
    let o = s.length;
    for (let a = 0, l = t.length; a < l; a += e)
      r[0] = t[a], r[1] = t[a + 1], Ti(n, r) && (s[o++] = r[0], s[o++] = r[1]);
    return o;
  }
  /**
   * @param {Array<number>} flatCoordinates Flat coordinates.
   * @param {number} offset Offset.
   * @param {number} end End.
   * @param {number} stride Stride.
   * @param {boolean} closed Last input coordinate equals first.
   * @param {boolean} skipFirst Skip first coordinate.
   * @protected
   * @return {number} My end.
   */
  appendFlatLineCoordinates(t, e, n, r, s, o) {
    const a = this.coordinates;
    let l = a.length;
    const h = this.getBufferedMaxExtent();
    o && (e += r);
    let c = t[e], u = t[e + 1];
    const d = this.tmpCoordinate_;
    let g = !0, f, p, _;
    for (f = e + r; f < n; f += r)
      d[0] = t[f], d[1] = t[f + 1], _ = jo(h, d), _ !== p ? (g && (a[l++] = c, a[l++] = u, g = !1), a[l++] = d[0], a[l++] = d[1]) : _ === At.INTERSECTING ? (a[l++] = d[0], a[l++] = d[1], g = !1) : g = !0, c = d[0], u = d[1], p = _;
    return (s && g || f === e + r) && (a[l++] = c, a[l++] = u), l;
  }
  /**
   * @param {Array<number>} flatCoordinates Flat coordinates.
   * @param {number} offset Offset.
   * @param {Array<number>} ends Ends.
   * @param {number} stride Stride.
   * @param {Array<number>} builderEnds Builder ends.
   * @return {number} Offset.
   */
  drawCustomCoordinates_(t, e, n, r, s) {
    for (let o = 0, a = n.length; o < a; ++o) {
      const l = n[o], h = this.appendFlatLineCoordinates(
        t,
        e,
        l,
        r,
        !1,
        !1
      );
      s.push(h), e = l;
    }
    return e;
  }
  /**
   * @param {import("../../geom/SimpleGeometry.js").default} geometry Geometry.
   * @param {import("../../Feature.js").FeatureLike} feature Feature.
   * @param {Function} renderer Renderer.
   * @param {Function} hitDetectionRenderer Renderer.
   * @param {number} [index] Render order index.
   * @override
   */
  drawCustom(t, e, n, r, s) {
    this.beginGeometry(t, e, s);
    const o = t.getType(), a = t.getStride(), l = this.coordinates.length;
    let h, c, u, d, g;
    switch (o) {
      case "MultiPolygon":
        h = /** @type {import("../../geom/MultiPolygon.js").default} */
        t.getOrientedFlatCoordinates(), d = [];
        const f = (
          /** @type {import("../../geom/MultiPolygon.js").default} */
          t.getEndss()
        );
        g = 0;
        for (let p = 0, _ = f.length; p < _; ++p) {
          const y = [];
          g = this.drawCustomCoordinates_(
            h,
            g,
            f[p],
            a,
            y
          ), d.push(y);
        }
        this.instructions.push([
          $.CUSTOM,
          l,
          d,
          t,
          n,
          Qo,
          s
        ]), this.hitDetectionInstructions.push([
          $.CUSTOM,
          l,
          d,
          t,
          r || n,
          Qo,
          s
        ]);
        break;
      case "Polygon":
      case "MultiLineString":
        u = [], h = o == "Polygon" ? (
          /** @type {import("../../geom/Polygon.js").default} */
          t.getOrientedFlatCoordinates()
        ) : t.getFlatCoordinates(), g = this.drawCustomCoordinates_(
          h,
          0,
          /** @type {import("../../geom/Polygon.js").default|import("../../geom/MultiLineString.js").default} */
          t.getEnds(),
          a,
          u
        ), this.instructions.push([
          $.CUSTOM,
          l,
          u,
          t,
          n,
          fr,
          s
        ]), this.hitDetectionInstructions.push([
          $.CUSTOM,
          l,
          u,
          t,
          r || n,
          fr,
          s
        ]);
        break;
      case "LineString":
      case "Circle":
        h = t.getFlatCoordinates(), c = this.appendFlatLineCoordinates(
          h,
          0,
          h.length,
          a,
          !1,
          !1
        ), this.instructions.push([
          $.CUSTOM,
          l,
          c,
          t,
          n,
          mn,
          s
        ]), this.hitDetectionInstructions.push([
          $.CUSTOM,
          l,
          c,
          t,
          r || n,
          mn,
          s
        ]);
        break;
      case "MultiPoint":
        h = t.getFlatCoordinates(), c = this.appendFlatPointCoordinates(h, a), c > l && (this.instructions.push([
          $.CUSTOM,
          l,
          c,
          t,
          n,
          mn,
          s
        ]), this.hitDetectionInstructions.push([
          $.CUSTOM,
          l,
          c,
          t,
          r || n,
          mn,
          s
        ]));
        break;
      case "Point":
        h = t.getFlatCoordinates(), this.coordinates.push(h[0], h[1]), c = this.coordinates.length, this.instructions.push([
          $.CUSTOM,
          l,
          c,
          t,
          n,
          void 0,
          s
        ]), this.hitDetectionInstructions.push([
          $.CUSTOM,
          l,
          c,
          t,
          r || n,
          void 0,
          s
        ]);
        break;
    }
    this.endGeometry(e);
  }
  /**
   * @protected
   * @param {import("../../geom/Geometry").default|import("../Feature.js").default} geometry The geometry.
   * @param {import("../../Feature.js").FeatureLike} feature Feature.
   * @param {number} index Render order index
   */
  beginGeometry(t, e, n) {
    this.beginGeometryInstruction1_ = [
      $.BEGIN_GEOMETRY,
      e,
      0,
      t,
      n
    ], this.instructions.push(this.beginGeometryInstruction1_), this.beginGeometryInstruction2_ = [
      $.BEGIN_GEOMETRY,
      e,
      0,
      t,
      n
    ], this.hitDetectionInstructions.push(this.beginGeometryInstruction2_);
  }
  /**
   * @return {import("../canvas.js").SerializableInstructions} the serializable instructions.
   */
  finish() {
    return {
      instructions: this.instructions,
      hitDetectionInstructions: this.hitDetectionInstructions,
      coordinates: this.coordinates
    };
  }
  /**
   * Reverse the hit detection instructions.
   */
  reverseHitDetectionInstructions() {
    const t = this.hitDetectionInstructions;
    t.reverse();
    let e;
    const n = t.length;
    let r, s, o = -1;
    for (e = 0; e < n; ++e)
      r = t[e], s = /** @type {import("./Instruction.js").default} */
      r[0], s == $.END_GEOMETRY ? o = e : s == $.BEGIN_GEOMETRY && (r[2] = e, Pg(this.hitDetectionInstructions, o, e), o = -1);
  }
  /**
   * @param {import("../../style/Fill.js").default} fillStyle Fill style.
   * @param {import('../canvas.js').FillStrokeState} [state] State.
   * @return {import('../canvas.js').FillStrokeState} State.
   */
  fillStyleToState(t, e = (
    /** @type {import('../canvas.js').FillStrokeState} */
    {}
  )) {
    if (t) {
      const n = t.getColor();
      e.fillPatternScale = n && typeof n == "object" && "src" in n ? this.pixelRatio : 1, e.fillStyle = ke(
        n || Jt
      );
    } else
      e.fillStyle = void 0;
    return e;
  }
  /**
   * @param {import("../../style/Stroke.js").default} strokeStyle Stroke style.
   * @param {import("../canvas.js").FillStrokeState} state State.
   * @return {import("../canvas.js").FillStrokeState} State.
   */
  strokeStyleToState(t, e = (
    /** @type {import('../canvas.js').FillStrokeState} */
    {}
  )) {
    if (t) {
      const n = t.getColor();
      e.strokeStyle = ke(
        n || xr
      );
      const r = t.getLineCap();
      e.lineCap = r !== void 0 ? r : Ai;
      const s = t.getLineDash();
      e.lineDash = s ? s.slice() : nn;
      const o = t.getLineDashOffset();
      e.lineDashOffset = o || rn;
      const a = t.getLineJoin();
      e.lineJoin = a !== void 0 ? a : Fi;
      const l = t.getWidth();
      e.lineWidth = l !== void 0 ? l : Er;
      const h = t.getMiterLimit();
      e.miterLimit = h !== void 0 ? h : yr, e.lineWidth > this.maxLineWidth && (this.maxLineWidth = e.lineWidth, this.bufferedMaxExtent_ = null);
    } else
      e.strokeStyle = void 0, e.lineCap = void 0, e.lineDash = null, e.lineDashOffset = void 0, e.lineJoin = void 0, e.lineWidth = void 0, e.miterLimit = void 0;
    return e;
  }
  /**
   * @param {import("../../style/Fill.js").default} fillStyle Fill style.
   * @param {import("../../style/Stroke.js").default} strokeStyle Stroke style.
   * @override
   */
  setFillStrokeStyle(t, e) {
    const n = this.state;
    this.fillStyleToState(t, n), this.strokeStyleToState(e, n);
  }
  /**
   * @param {import("../canvas.js").FillStrokeState} state State.
   * @return {Array<*>} Fill instruction.
   */
  createFill(t) {
    const e = t.fillStyle, n = [$.SET_FILL_STYLE, e];
    return typeof e != "string" && n.push(t.fillPatternScale), n;
  }
  /**
   * @param {import("../canvas.js").FillStrokeState} state State.
   */
  applyStroke(t) {
    this.instructions.push(this.createStroke(t));
  }
  /**
   * @param {import("../canvas.js").FillStrokeState} state State.
   * @return {Array<*>} Stroke instruction.
   */
  createStroke(t) {
    return [
      $.SET_STROKE_STYLE,
      t.strokeStyle,
      t.lineWidth * this.pixelRatio,
      t.lineCap,
      t.lineJoin,
      t.miterLimit,
      t.lineDash ? this.applyPixelRatio(t.lineDash) : null,
      t.lineDashOffset * this.pixelRatio
    ];
  }
  /**
   * @param {import("../canvas.js").FillStrokeState} state State.
   * @param {function(this:CanvasBuilder, import("../canvas.js").FillStrokeState):Array<*>} createFill Create fill.
   */
  updateFillStyle(t, e) {
    const n = t.fillStyle;
    (typeof n != "string" || t.currentFillStyle != n) && (this.instructions.push(e.call(this, t)), t.currentFillStyle = n);
  }
  /**
   * @param {import("../canvas.js").FillStrokeState} state State.
   * @param {function(this:CanvasBuilder, import("../canvas.js").FillStrokeState): void} applyStroke Apply stroke.
   */
  updateStrokeStyle(t, e) {
    const n = t.strokeStyle, r = t.lineCap, s = t.lineDash, o = t.lineDashOffset, a = t.lineJoin, l = t.lineWidth, h = t.miterLimit;
    (t.currentStrokeStyle != n || t.currentLineCap != r || s != t.currentLineDash && !ze(t.currentLineDash, s) || t.currentLineDashOffset != o || t.currentLineJoin != a || t.currentLineWidth != l || t.currentMiterLimit != h) && (e.call(this, t), t.currentStrokeStyle = n, t.currentLineCap = r, t.currentLineDash = s, t.currentLineDashOffset = o, t.currentLineJoin = a, t.currentLineWidth = l, t.currentMiterLimit = h);
  }
  /**
   * @param {import("../../Feature.js").FeatureLike} feature Feature.
   */
  endGeometry(t) {
    this.beginGeometryInstruction1_[2] = this.instructions.length, this.beginGeometryInstruction1_ = null, this.beginGeometryInstruction2_[2] = this.hitDetectionInstructions.length, this.beginGeometryInstruction2_ = null;
    const e = [$.END_GEOMETRY, t];
    this.instructions.push(e), this.hitDetectionInstructions.push(e);
  }
  /**
   * Get the buffered rendering extent.  Rendering will be clipped to the extent
   * provided to the constructor.  To account for symbolizers that may intersect
   * this extent, we calculate a buffered extent (e.g. based on stroke width).
   * @return {import("../../extent.js").Extent} The buffered rendering extent.
   * @protected
   */
  getBufferedMaxExtent() {
    if (!this.bufferedMaxExtent_ && (this.bufferedMaxExtent_ = sc(this.maxExtent), this.maxLineWidth > 0)) {
      const t = this.resolution * (this.maxLineWidth + 1) / 2;
      br(this.bufferedMaxExtent_, t, this.bufferedMaxExtent_);
    }
    return this.bufferedMaxExtent_;
  }
}
class i_ extends kr {
  /**
   * @param {number} tolerance Tolerance.
   * @param {import("../../extent.js").Extent} maxExtent Maximum extent.
   * @param {number} resolution Resolution.
   * @param {number} pixelRatio Pixel ratio.
   */
  constructor(t, e, n, r) {
    super(t, e, n, r), this.hitDetectionImage_ = null, this.image_ = null, this.imagePixelRatio_ = void 0, this.anchorX_ = void 0, this.anchorY_ = void 0, this.height_ = void 0, this.opacity_ = void 0, this.originX_ = void 0, this.originY_ = void 0, this.rotateWithView_ = void 0, this.rotation_ = void 0, this.scale_ = void 0, this.width_ = void 0, this.declutterMode_ = void 0, this.declutterImageWithText_ = void 0;
  }
  /**
   * @param {import("../../geom/Point.js").default|import("../Feature.js").default} pointGeometry Point geometry.
   * @param {import("../../Feature.js").FeatureLike} feature Feature.
   * @param {number} [index] Render order index.
   * @override
   */
  drawPoint(t, e, n) {
    if (!this.image_ || this.maxExtent && !Ti(this.maxExtent, t.getFlatCoordinates()))
      return;
    this.beginGeometry(t, e, n);
    const r = t.getFlatCoordinates(), s = t.getStride(), o = this.coordinates.length, a = this.appendFlatPointCoordinates(r, s);
    this.instructions.push([
      $.DRAW_IMAGE,
      o,
      a,
      this.image_,
      // Remaining arguments to DRAW_IMAGE are in alphabetical order
      this.anchorX_ * this.imagePixelRatio_,
      this.anchorY_ * this.imagePixelRatio_,
      Math.ceil(this.height_ * this.imagePixelRatio_),
      this.opacity_,
      this.originX_ * this.imagePixelRatio_,
      this.originY_ * this.imagePixelRatio_,
      this.rotateWithView_,
      this.rotation_,
      [
        this.scale_[0] * this.pixelRatio / this.imagePixelRatio_,
        this.scale_[1] * this.pixelRatio / this.imagePixelRatio_
      ],
      Math.ceil(this.width_ * this.imagePixelRatio_),
      this.declutterMode_,
      this.declutterImageWithText_
    ]), this.hitDetectionInstructions.push([
      $.DRAW_IMAGE,
      o,
      a,
      this.hitDetectionImage_,
      // Remaining arguments to DRAW_IMAGE are in alphabetical order
      this.anchorX_,
      this.anchorY_,
      this.height_,
      1,
      this.originX_,
      this.originY_,
      this.rotateWithView_,
      this.rotation_,
      this.scale_,
      this.width_,
      this.declutterMode_,
      this.declutterImageWithText_
    ]), this.endGeometry(e);
  }
  /**
   * @param {import("../../geom/MultiPoint.js").default|import("../Feature.js").default} multiPointGeometry MultiPoint geometry.
   * @param {import("../../Feature.js").FeatureLike} feature Feature.
   * @param {number} [index] Render order index.
   * @override
   */
  drawMultiPoint(t, e, n) {
    if (!this.image_)
      return;
    this.beginGeometry(t, e, n);
    const r = t.getFlatCoordinates(), s = [];
    for (let l = 0, h = r.length; l < h; l += t.getStride())
      (!this.maxExtent || Ti(this.maxExtent, r.slice(l, l + 2))) && s.push(
        r[l],
        r[l + 1]
      );
    const o = this.coordinates.length, a = this.appendFlatPointCoordinates(s, 2);
    this.instructions.push([
      $.DRAW_IMAGE,
      o,
      a,
      this.image_,
      // Remaining arguments to DRAW_IMAGE are in alphabetical order
      this.anchorX_ * this.imagePixelRatio_,
      this.anchorY_ * this.imagePixelRatio_,
      Math.ceil(this.height_ * this.imagePixelRatio_),
      this.opacity_,
      this.originX_ * this.imagePixelRatio_,
      this.originY_ * this.imagePixelRatio_,
      this.rotateWithView_,
      this.rotation_,
      [
        this.scale_[0] * this.pixelRatio / this.imagePixelRatio_,
        this.scale_[1] * this.pixelRatio / this.imagePixelRatio_
      ],
      Math.ceil(this.width_ * this.imagePixelRatio_),
      this.declutterMode_,
      this.declutterImageWithText_
    ]), this.hitDetectionInstructions.push([
      $.DRAW_IMAGE,
      o,
      a,
      this.hitDetectionImage_,
      // Remaining arguments to DRAW_IMAGE are in alphabetical order
      this.anchorX_,
      this.anchorY_,
      this.height_,
      1,
      this.originX_,
      this.originY_,
      this.rotateWithView_,
      this.rotation_,
      this.scale_,
      this.width_,
      this.declutterMode_,
      this.declutterImageWithText_
    ]), this.endGeometry(e);
  }
  /**
   * @return {import("../canvas.js").SerializableInstructions} the serializable instructions.
   * @override
   */
  finish() {
    return this.reverseHitDetectionInstructions(), this.anchorX_ = void 0, this.anchorY_ = void 0, this.hitDetectionImage_ = null, this.image_ = null, this.imagePixelRatio_ = void 0, this.height_ = void 0, this.scale_ = void 0, this.opacity_ = void 0, this.originX_ = void 0, this.originY_ = void 0, this.rotateWithView_ = void 0, this.rotation_ = void 0, this.width_ = void 0, super.finish();
  }
  /**
   * @param {import("../../style/Image.js").default} imageStyle Image style.
   * @param {Object} [sharedData] Shared data.
   * @override
   */
  setImageStyle(t, e) {
    const n = t.getAnchor(), r = t.getSize(), s = t.getOrigin();
    this.imagePixelRatio_ = t.getPixelRatio(this.pixelRatio), this.anchorX_ = n[0], this.anchorY_ = n[1], this.hitDetectionImage_ = t.getHitDetectionImage(), this.image_ = t.getImage(this.pixelRatio), this.height_ = r[1], this.opacity_ = t.getOpacity(), this.originX_ = s[0], this.originY_ = s[1], this.rotateWithView_ = t.getRotateWithView(), this.rotation_ = t.getRotation(), this.scale_ = t.getScaleArray(), this.width_ = r[0], this.declutterMode_ = t.getDeclutterMode(), this.declutterImageWithText_ = e;
  }
}
class r_ extends kr {
  /**
   * @param {number} tolerance Tolerance.
   * @param {import("../../extent.js").Extent} maxExtent Maximum extent.
   * @param {number} resolution Resolution.
   * @param {number} pixelRatio Pixel ratio.
   */
  constructor(t, e, n, r) {
    super(t, e, n, r);
  }
  /**
   * @param {Array<number>} flatCoordinates Flat coordinates.
   * @param {number} offset Offset.
   * @param {number} end End.
   * @param {number} stride Stride.
   * @private
   * @return {number} end.
   */
  drawFlatCoordinates_(t, e, n, r) {
    const s = this.coordinates.length, o = this.appendFlatLineCoordinates(
      t,
      e,
      n,
      r,
      !1,
      !1
    ), a = [
      $.MOVE_TO_LINE_TO,
      s,
      o
    ];
    return this.instructions.push(a), this.hitDetectionInstructions.push(a), n;
  }
  /**
   * @param {import("../../geom/LineString.js").default|import("../Feature.js").default} lineStringGeometry Line string geometry.
   * @param {import("../../Feature.js").FeatureLike} feature Feature.
   * @param {number} [index] Render order index.
   * @override
   */
  drawLineString(t, e, n) {
    const r = this.state, s = r.strokeStyle, o = r.lineWidth;
    if (s === void 0 || o === void 0)
      return;
    this.updateStrokeStyle(r, this.applyStroke), this.beginGeometry(t, e, n), this.hitDetectionInstructions.push(
      [
        $.SET_STROKE_STYLE,
        r.strokeStyle,
        r.lineWidth,
        r.lineCap,
        r.lineJoin,
        r.miterLimit,
        nn,
        rn
      ],
      Dn
    );
    const a = t.getFlatCoordinates(), l = t.getStride();
    this.drawFlatCoordinates_(
      a,
      0,
      a.length,
      l
    ), this.hitDetectionInstructions.push(xn), this.endGeometry(e);
  }
  /**
   * @param {import("../../geom/MultiLineString.js").default|import("../Feature.js").default} multiLineStringGeometry MultiLineString geometry.
   * @param {import("../../Feature.js").FeatureLike} feature Feature.
   * @param {number} [index] Render order index.
   * @override
   */
  drawMultiLineString(t, e, n) {
    const r = this.state, s = r.strokeStyle, o = r.lineWidth;
    if (s === void 0 || o === void 0)
      return;
    this.updateStrokeStyle(r, this.applyStroke), this.beginGeometry(t, e, n), this.hitDetectionInstructions.push(
      [
        $.SET_STROKE_STYLE,
        r.strokeStyle,
        r.lineWidth,
        r.lineCap,
        r.lineJoin,
        r.miterLimit,
        nn,
        rn
      ],
      Dn
    );
    const a = t.getEnds(), l = t.getFlatCoordinates(), h = t.getStride();
    let c = 0;
    for (let u = 0, d = a.length; u < d; ++u)
      c = this.drawFlatCoordinates_(
        l,
        c,
        /** @type {number} */
        a[u],
        h
      );
    this.hitDetectionInstructions.push(xn), this.endGeometry(e);
  }
  /**
   * @return {import("../canvas.js").SerializableInstructions} the serializable instructions.
   * @override
   */
  finish() {
    const t = this.state;
    return t.lastStroke != null && t.lastStroke != this.coordinates.length && this.instructions.push(xn), this.reverseHitDetectionInstructions(), this.state = null, super.finish();
  }
  /**
   * @param {import("../canvas.js").FillStrokeState} state State.
   * @override
   */
  applyStroke(t) {
    t.lastStroke != null && t.lastStroke != this.coordinates.length && (this.instructions.push(xn), t.lastStroke = this.coordinates.length), t.lastStroke = 0, super.applyStroke(t), this.instructions.push(Dn);
  }
}
class gh extends kr {
  /**
   * @param {number} tolerance Tolerance.
   * @param {import("../../extent.js").Extent} maxExtent Maximum extent.
   * @param {number} resolution Resolution.
   * @param {number} pixelRatio Pixel ratio.
   */
  constructor(t, e, n, r) {
    super(t, e, n, r);
  }
  /**
   * @param {Array<number>} flatCoordinates Flat coordinates.
   * @param {number} offset Offset.
   * @param {Array<number>} ends Ends.
   * @param {number} stride Stride.
   * @private
   * @return {number} End.
   */
  drawFlatCoordinatess_(t, e, n, r) {
    const s = this.state, o = s.fillStyle !== void 0, a = s.strokeStyle !== void 0, l = n.length;
    this.instructions.push(Dn), this.hitDetectionInstructions.push(Dn);
    for (let h = 0; h < l; ++h) {
      const c = n[h], u = this.coordinates.length, d = this.appendFlatLineCoordinates(
        t,
        e,
        c,
        r,
        !0,
        !a
      ), g = [
        $.MOVE_TO_LINE_TO,
        u,
        d
      ];
      this.instructions.push(g), this.hitDetectionInstructions.push(g), a && (this.instructions.push(dh), this.hitDetectionInstructions.push(dh)), e = c;
    }
    return o && (this.instructions.push(Qr), this.hitDetectionInstructions.push(Qr)), a && (this.instructions.push(xn), this.hitDetectionInstructions.push(xn)), e;
  }
  /**
   * @param {import("../../geom/Circle.js").default} circleGeometry Circle geometry.
   * @param {import("../../Feature.js").default} feature Feature.
   * @param {number} [index] Render order index.
   * @override
   */
  drawCircle(t, e, n) {
    const r = this.state, s = r.fillStyle, o = r.strokeStyle;
    if (s === void 0 && o === void 0)
      return;
    this.setFillStrokeStyles_(), this.beginGeometry(t, e, n), r.fillStyle !== void 0 && this.hitDetectionInstructions.push([
      $.SET_FILL_STYLE,
      Jt
    ]), r.strokeStyle !== void 0 && this.hitDetectionInstructions.push([
      $.SET_STROKE_STYLE,
      r.strokeStyle,
      r.lineWidth,
      r.lineCap,
      r.lineJoin,
      r.miterLimit,
      nn,
      rn
    ]);
    const a = t.getFlatCoordinates(), l = t.getStride(), h = this.coordinates.length;
    this.appendFlatLineCoordinates(
      a,
      0,
      a.length,
      l,
      !1,
      !1
    );
    const c = [$.CIRCLE, h];
    this.instructions.push(Dn, c), this.hitDetectionInstructions.push(Dn, c), r.fillStyle !== void 0 && (this.instructions.push(Qr), this.hitDetectionInstructions.push(Qr)), r.strokeStyle !== void 0 && (this.instructions.push(xn), this.hitDetectionInstructions.push(xn)), this.endGeometry(e);
  }
  /**
   * @param {import("../../geom/Polygon.js").default|import("../Feature.js").default} polygonGeometry Polygon geometry.
   * @param {import("../../Feature.js").FeatureLike} feature Feature.
   * @param {number} [index] Render order index.
   * @override
   */
  drawPolygon(t, e, n) {
    const r = this.state, s = r.fillStyle, o = r.strokeStyle;
    if (s === void 0 && o === void 0)
      return;
    this.setFillStrokeStyles_(), this.beginGeometry(t, e, n), r.fillStyle !== void 0 && this.hitDetectionInstructions.push([
      $.SET_FILL_STYLE,
      Jt
    ]), r.strokeStyle !== void 0 && this.hitDetectionInstructions.push([
      $.SET_STROKE_STYLE,
      r.strokeStyle,
      r.lineWidth,
      r.lineCap,
      r.lineJoin,
      r.miterLimit,
      nn,
      rn
    ]);
    const a = t.getEnds(), l = t.getOrientedFlatCoordinates(), h = t.getStride();
    this.drawFlatCoordinatess_(
      l,
      0,
      /** @type {Array<number>} */
      a,
      h
    ), this.endGeometry(e);
  }
  /**
   * @param {import("../../geom/MultiPolygon.js").default} multiPolygonGeometry MultiPolygon geometry.
   * @param {import("../../Feature.js").FeatureLike} feature Feature.
   * @param {number} [index] Render order index.
   * @override
   */
  drawMultiPolygon(t, e, n) {
    const r = this.state, s = r.fillStyle, o = r.strokeStyle;
    if (s === void 0 && o === void 0)
      return;
    this.setFillStrokeStyles_(), this.beginGeometry(t, e, n), r.fillStyle !== void 0 && this.hitDetectionInstructions.push([
      $.SET_FILL_STYLE,
      Jt
    ]), r.strokeStyle !== void 0 && this.hitDetectionInstructions.push([
      $.SET_STROKE_STYLE,
      r.strokeStyle,
      r.lineWidth,
      r.lineCap,
      r.lineJoin,
      r.miterLimit,
      nn,
      rn
    ]);
    const a = t.getEndss(), l = t.getOrientedFlatCoordinates(), h = t.getStride();
    let c = 0;
    for (let u = 0, d = a.length; u < d; ++u)
      c = this.drawFlatCoordinatess_(
        l,
        c,
        a[u],
        h
      );
    this.endGeometry(e);
  }
  /**
   * @return {import("../canvas.js").SerializableInstructions} the serializable instructions.
   * @override
   */
  finish() {
    this.reverseHitDetectionInstructions(), this.state = null;
    const t = this.tolerance;
    if (t !== 0) {
      const e = this.coordinates;
      for (let n = 0, r = e.length; n < r; ++n)
        e[n] = An(e[n], t);
    }
    return super.finish();
  }
  /**
   * @private
   */
  setFillStrokeStyles_() {
    const t = this.state;
    this.updateFillStyle(t, this.createFill), this.updateStrokeStyle(t, this.applyStroke);
  }
}
function s_(i, t, e, n, r) {
  const s = [];
  let o = e, a = 0, l = t.slice(e, 2);
  for (; a < i && o + r < n; ) {
    const [h, c] = l.slice(-2), u = t[o + r], d = t[o + r + 1], g = Math.sqrt(
      (u - h) * (u - h) + (d - c) * (d - c)
    );
    if (a += g, a >= i) {
      const f = (i - a + g) / g, p = oe(h, u, f), _ = oe(c, d, f);
      l.push(p, _), s.push(l), l = [p, _], a == i && (o += r), a = 0;
    } else if (a < i)
      l.push(
        t[o + r],
        t[o + r + 1]
      ), o += r;
    else {
      const f = g - a, p = oe(h, u, f / g), _ = oe(c, d, f / g);
      l.push(p, _), s.push(l), l = [p, _], a = 0, o += r;
    }
  }
  return a > 0 && s.push(l), s;
}
function o_(i, t, e, n, r) {
  let s = e, o = e, a = 0, l = 0, h = e, c, u, d, g, f, p, _, y, x, E;
  for (u = e; u < n; u += r) {
    const v = t[u], m = t[u + 1];
    f !== void 0 && (x = v - f, E = m - p, g = Math.sqrt(x * x + E * E), _ !== void 0 && (l += d, c = Math.acos((_ * x + y * E) / (d * g)), c > i && (l > a && (a = l, s = h, o = u), l = 0, h = u - r)), d = g, _ = x, y = E), f = v, p = m;
  }
  return l += g, l > a ? [h, u] : [s, o];
}
const Ss = {
  left: 0,
  center: 0.5,
  right: 1,
  top: 0,
  middle: 0.5,
  hanging: 0.2,
  alphabetic: 0.8,
  ideographic: 0.8,
  bottom: 1
};
class a_ extends kr {
  /**
   * @param {number} tolerance Tolerance.
   * @param {import("../../extent.js").Extent} maxExtent Maximum extent.
   * @param {number} resolution Resolution.
   * @param {number} pixelRatio Pixel ratio.
   */
  constructor(t, e, n, r) {
    super(t, e, n, r), this.labels_ = null, this.text_ = "", this.textOffsetX_ = 0, this.textOffsetY_ = 0, this.textRotateWithView_ = void 0, this.textKeepUpright_ = void 0, this.textRotation_ = 0, this.textFillState_ = null, this.fillStates = {}, this.fillStates[Jt] = { fillStyle: Jt }, this.textStrokeState_ = null, this.strokeStates = {}, this.textState_ = /** @type {import("../canvas.js").TextState} */
    {}, this.textStates = {}, this.textKey_ = "", this.fillKey_ = "", this.strokeKey_ = "", this.declutterMode_ = void 0, this.declutterImageWithText_ = void 0;
  }
  /**
   * @return {import("../canvas.js").SerializableInstructions} the serializable instructions.
   * @override
   */
  finish() {
    const t = super.finish();
    return t.textStates = this.textStates, t.fillStates = this.fillStates, t.strokeStates = this.strokeStates, t;
  }
  /**
   * @param {import("../../geom/SimpleGeometry.js").default|import("../Feature.js").default} geometry Geometry.
   * @param {import("../../Feature.js").FeatureLike} feature Feature.
   * @param {number} [index] Render order index.
   * @override
   */
  drawText(t, e, n) {
    const r = this.textFillState_, s = this.textStrokeState_, o = this.textState_;
    if (this.text_ === "" || !o || !r && !s)
      return;
    const a = this.coordinates;
    let l = a.length;
    const h = t.getType();
    let c = null, u = t.getStride();
    if (o.placement === "line" && (h == "LineString" || h == "MultiLineString" || h == "Polygon" || h == "MultiPolygon")) {
      if (!Yt(this.maxExtent, t.getExtent()))
        return;
      let d;
      if (c = t.getFlatCoordinates(), h == "LineString")
        d = [c.length];
      else if (h == "MultiLineString")
        d = /** @type {import("../../geom/MultiLineString.js").default} */
        t.getEnds();
      else if (h == "Polygon")
        d = /** @type {import("../../geom/Polygon.js").default} */
        t.getEnds().slice(0, 1);
      else if (h == "MultiPolygon") {
        const _ = (
          /** @type {import("../../geom/MultiPolygon.js").default} */
          t.getEndss()
        );
        d = [];
        for (let y = 0, x = _.length; y < x; ++y)
          d.push(_[y][0]);
      }
      this.beginGeometry(t, e, n);
      const g = o.repeat, f = g ? void 0 : o.textAlign;
      let p = 0;
      for (let _ = 0, y = d.length; _ < y; ++_) {
        let x;
        g ? x = s_(
          g * this.resolution,
          c,
          p,
          d[_],
          u
        ) : x = [c.slice(p, d[_])];
        for (let E = 0, v = x.length; E < v; ++E) {
          const m = x[E];
          let C = 0, T = m.length;
          if (f == null) {
            const b = o_(
              o.maxAngle,
              m,
              0,
              m.length,
              2
            );
            C = b[0], T = b[1];
          }
          for (let b = C; b < T; b += u)
            a.push(m[b], m[b + 1]);
          const w = a.length;
          p = d[_], this.drawChars_(l, w), l = w;
        }
      }
      this.endGeometry(e);
    } else {
      let d = o.overflow ? null : [];
      switch (h) {
        case "Point":
        case "MultiPoint":
          c = /** @type {import("../../geom/MultiPoint.js").default} */
          t.getFlatCoordinates();
          break;
        case "LineString":
          c = /** @type {import("../../geom/LineString.js").default} */
          t.getFlatMidpoint();
          break;
        case "Circle":
          c = /** @type {import("../../geom/Circle.js").default} */
          t.getCenter();
          break;
        case "MultiLineString":
          c = /** @type {import("../../geom/MultiLineString.js").default} */
          t.getFlatMidpoints(), u = 2;
          break;
        case "Polygon":
          c = /** @type {import("../../geom/Polygon.js").default} */
          t.getFlatInteriorPoint(), o.overflow || d.push(c[2] / this.resolution), u = 3;
          break;
        case "MultiPolygon":
          const v = (
            /** @type {import("../../geom/MultiPolygon.js").default} */
            t.getFlatInteriorPoints()
          );
          c = [];
          for (let m = 0, C = v.length; m < C; m += 3)
            o.overflow || d.push(v[m + 2] / this.resolution), c.push(v[m], v[m + 1]);
          if (c.length === 0)
            return;
          u = 2;
          break;
      }
      const g = this.appendFlatPointCoordinates(c, u);
      if (g === l)
        return;
      if (d && (g - l) / 2 !== c.length / u) {
        let v = l / 2;
        d = d.filter((m, C) => {
          const T = a[(v + C) * 2] === c[C * u] && a[(v + C) * 2 + 1] === c[C * u + 1];
          return T || --v, T;
        });
      }
      this.saveTextStates_();
      const f = o.backgroundFill ? this.createFill(this.fillStyleToState(o.backgroundFill)) : null, p = o.backgroundStroke ? this.createStroke(this.strokeStyleToState(o.backgroundStroke)) : null;
      this.beginGeometry(t, e, n);
      let _ = o.padding;
      if (_ != Ln && (o.scale[0] < 0 || o.scale[1] < 0)) {
        let v = o.padding[0], m = o.padding[1], C = o.padding[2], T = o.padding[3];
        o.scale[0] < 0 && (m = -m, T = -T), o.scale[1] < 0 && (v = -v, C = -C), _ = [v, m, C, T];
      }
      const y = this.pixelRatio;
      this.instructions.push([
        $.DRAW_IMAGE,
        l,
        g,
        null,
        NaN,
        NaN,
        NaN,
        1,
        0,
        0,
        this.textRotateWithView_,
        this.textRotation_,
        [1, 1],
        NaN,
        this.declutterMode_,
        this.declutterImageWithText_,
        _ == Ln ? Ln : _.map(function(v) {
          return v * y;
        }),
        f,
        p,
        this.text_,
        this.textKey_,
        this.strokeKey_,
        this.fillKey_,
        this.textOffsetX_,
        this.textOffsetY_,
        d
      ]);
      const x = 1 / y, E = f ? f.slice(0) : null;
      E && (E[1] = Jt), this.hitDetectionInstructions.push([
        $.DRAW_IMAGE,
        l,
        g,
        null,
        NaN,
        NaN,
        NaN,
        1,
        0,
        0,
        this.textRotateWithView_,
        this.textRotation_,
        [x, x],
        NaN,
        this.declutterMode_,
        this.declutterImageWithText_,
        _,
        E,
        p,
        this.text_,
        this.textKey_,
        this.strokeKey_,
        this.fillKey_ ? Jt : this.fillKey_,
        this.textOffsetX_,
        this.textOffsetY_,
        d
      ]), this.endGeometry(e);
    }
  }
  /**
   * @private
   */
  saveTextStates_() {
    const t = this.textStrokeState_, e = this.textState_, n = this.textFillState_, r = this.strokeKey_;
    t && (r in this.strokeStates || (this.strokeStates[r] = {
      strokeStyle: t.strokeStyle,
      lineCap: t.lineCap,
      lineDashOffset: t.lineDashOffset,
      lineWidth: t.lineWidth,
      lineJoin: t.lineJoin,
      miterLimit: t.miterLimit,
      lineDash: t.lineDash
    }));
    const s = this.textKey_;
    s in this.textStates || (this.textStates[s] = {
      font: e.font,
      textAlign: e.textAlign || vr,
      justify: e.justify,
      textBaseline: e.textBaseline || Es,
      scale: e.scale
    });
    const o = this.fillKey_;
    n && (o in this.fillStates || (this.fillStates[o] = {
      fillStyle: n.fillStyle
    }));
  }
  /**
   * @private
   * @param {number} begin Begin.
   * @param {number} end End.
   */
  drawChars_(t, e) {
    const n = this.textStrokeState_, r = this.textState_, s = this.strokeKey_, o = this.textKey_, a = this.fillKey_;
    this.saveTextStates_();
    const l = this.pixelRatio, h = Ss[r.textBaseline], c = this.textOffsetY_ * l, u = this.text_, d = n ? n.lineWidth * Math.abs(r.scale[0]) / 2 : 0;
    this.instructions.push([
      $.DRAW_CHARS,
      t,
      e,
      h,
      r.overflow,
      a,
      r.maxAngle,
      l,
      c,
      s,
      d * l,
      u,
      o,
      1,
      this.declutterMode_,
      this.textKeepUpright_
    ]), this.hitDetectionInstructions.push([
      $.DRAW_CHARS,
      t,
      e,
      h,
      r.overflow,
      a && Jt,
      r.maxAngle,
      l,
      c,
      s,
      d * l,
      u,
      o,
      1 / l,
      this.declutterMode_,
      this.textKeepUpright_
    ]);
  }
  /**
   * @param {import("../../style/Text.js").default} textStyle Text style.
   * @param {Object} [sharedData] Shared data.
   * @override
   */
  setTextStyle(t, e) {
    let n, r, s;
    if (!t)
      this.text_ = "";
    else {
      const o = t.getFill();
      o ? (r = this.textFillState_, r || (r = /** @type {import("../canvas.js").FillState} */
      {}, this.textFillState_ = r), r.fillStyle = ke(
        o.getColor() || Jt
      )) : (r = null, this.textFillState_ = r);
      const a = t.getStroke();
      if (!a)
        s = null, this.textStrokeState_ = s;
      else {
        s = this.textStrokeState_, s || (s = /** @type {import("../canvas.js").StrokeState} */
        {}, this.textStrokeState_ = s);
        const p = a.getLineDash(), _ = a.getLineDashOffset(), y = a.getWidth(), x = a.getMiterLimit();
        s.lineCap = a.getLineCap() || Ai, s.lineDash = p ? p.slice() : nn, s.lineDashOffset = _ === void 0 ? rn : _, s.lineJoin = a.getLineJoin() || Fi, s.lineWidth = y === void 0 ? Er : y, s.miterLimit = x === void 0 ? yr : x, s.strokeStyle = ke(
          a.getColor() || xr
        );
      }
      n = this.textState_;
      const l = t.getFont() || zc;
      wf(l);
      const h = t.getScaleArray();
      n.overflow = t.getOverflow(), n.font = l, n.maxAngle = t.getMaxAngle(), n.placement = t.getPlacement(), n.textAlign = t.getTextAlign(), n.repeat = t.getRepeat(), n.justify = t.getJustify(), n.textBaseline = t.getTextBaseline() || Es, n.backgroundFill = t.getBackgroundFill(), n.backgroundStroke = t.getBackgroundStroke(), n.padding = t.getPadding() || Ln, n.scale = h === void 0 ? [1, 1] : h;
      const c = t.getOffsetX(), u = t.getOffsetY(), d = t.getRotateWithView(), g = t.getKeepUpright(), f = t.getRotation();
      this.text_ = t.getText() || "", this.textOffsetX_ = c === void 0 ? 0 : c, this.textOffsetY_ = u === void 0 ? 0 : u, this.textRotateWithView_ = d === void 0 ? !1 : d, this.textKeepUpright_ = g === void 0 ? !0 : g, this.textRotation_ = f === void 0 ? 0 : f, this.strokeKey_ = s ? (typeof s.strokeStyle == "string" ? s.strokeStyle : z(s.strokeStyle)) + s.lineCap + s.lineDashOffset + "|" + s.lineWidth + s.lineJoin + s.miterLimit + "[" + s.lineDash.join() + "]" : "", this.textKey_ = n.font + n.scale + (n.textAlign || "?") + (n.repeat || "?") + (n.justify || "?") + (n.textBaseline || "?"), this.fillKey_ = r && r.fillStyle ? typeof r.fillStyle == "string" ? r.fillStyle : "|" + z(r.fillStyle) : "";
    }
    this.declutterMode_ = t.getDeclutterMode(), this.declutterImageWithText_ = e;
  }
}
const l_ = {
  Circle: gh,
  Default: kr,
  Image: i_,
  LineString: r_,
  Polygon: gh,
  Text: a_
};
class h_ {
  /**
   * @param {number} tolerance Tolerance.
   * @param {import("../../extent.js").Extent} maxExtent Max extent.
   * @param {number} resolution Resolution.
   * @param {number} pixelRatio Pixel ratio.
   */
  constructor(t, e, n, r) {
    this.tolerance_ = t, this.maxExtent_ = e, this.pixelRatio_ = r, this.resolution_ = n, this.buildersByZIndex_ = {};
  }
  /**
   * @return {!Object<string, !Object<import("../canvas.js").BuilderType, import("./Builder.js").SerializableInstructions>>} The serializable instructions
   */
  finish() {
    const t = {};
    for (const e in this.buildersByZIndex_) {
      t[e] = t[e] || {};
      const n = this.buildersByZIndex_[e];
      for (const r in n) {
        const s = n[r].finish();
        t[e][r] = s;
      }
    }
    return t;
  }
  /**
   * @param {number|undefined} zIndex Z index.
   * @param {import("../canvas.js").BuilderType} builderType Replay type.
   * @return {import("../VectorContext.js").default} Replay.
   */
  getBuilder(t, e) {
    const n = t !== void 0 ? t.toString() : "0";
    let r = this.buildersByZIndex_[n];
    r === void 0 && (r = {}, this.buildersByZIndex_[n] = r);
    let s = r[e];
    if (s === void 0) {
      const o = l_[e];
      s = new o(
        this.tolerance_,
        this.maxExtent_,
        this.resolution_,
        this.pixelRatio_
      ), r[e] = s;
    }
    return s;
  }
}
function c_(i, t, e, n, r, s, o, a, l, h, c, u, d = !0) {
  let g = i[t], f = i[t + 1], p = 0, _ = 0, y = 0, x = 0;
  function E() {
    p = g, _ = f, t += n, g = i[t], f = i[t + 1], x += y, y = Math.sqrt((g - p) * (g - p) + (f - _) * (f - _));
  }
  do
    E();
  while (t < e - n && x + y < s);
  let v = y === 0 ? 0 : (s - x) / y;
  const m = oe(p, g, v), C = oe(_, f, v), T = t - n, w = x, b = s + a * l(h, r, c);
  for (; t < e - n && x + y < b; )
    E();
  v = y === 0 ? 0 : (b - x) / y;
  const L = oe(p, g, v), A = oe(_, f, v);
  let P = !1;
  if (d)
    if (u) {
      const D = [m, C, L, A];
      Sc(D, 0, 4, 2, u, D, D), P = D[0] > D[2];
    } else
      P = m > L;
  const R = Math.PI, F = [], O = T + n === t;
  t = T, y = 0, x = w, g = i[t], f = i[t + 1];
  let B;
  if (O) {
    E(), B = Math.atan2(f - _, g - p), P && (B += B > 0 ? -R : R);
    const D = (L + m) / 2, U = (A + C) / 2;
    return F[0] = [D, U, (b - s) / 2, B, r], F;
  }
  r = r.replace(/\n/g, " ");
  for (let D = 0, U = r.length; D < U; ) {
    E();
    let V = Math.atan2(f - _, g - p);
    if (P && (V += V > 0 ? -R : R), B !== void 0) {
      let Et = V - B;
      if (Et += Et > R ? -2 * R : Et < -R ? 2 * R : 0, Math.abs(Et) > o)
        return null;
    }
    B = V;
    const q = D;
    let rt = 0;
    for (; D < U; ++D) {
      const Et = P ? U - D - 1 : D, vt = a * l(h, r[Et], c);
      if (t + n < e && x + y < s + rt + vt / 2)
        break;
      rt += vt;
    }
    if (D === q)
      continue;
    const I = P ? r.substring(U - q, U - D) : r.substring(q, D);
    v = y === 0 ? 0 : (s + rt / 2 - x) / y;
    const Gt = oe(p, g, v), se = oe(_, f, v);
    F.push([Gt, se, rt / 2, V, I]), s += rt;
  }
  return F;
}
class Qc {
  constructor() {
    this.instructions_ = [], this.zIndex = 0, this.offset_ = 0, this.context_ = /** @type {ZIndexContextProxy} */
    new Proxy(xs(), {
      get: (t, e) => {
        if (typeof /** @type {*} */
        xs()[e] == "function")
          return this.push_(e), this.pushMethodArgs_;
      },
      set: (t, e, n) => (this.push_(e, n), !0)
    });
  }
  /**
   * @param {...*} args Arguments to push to the instructions array.
   * @private
   */
  push_(...t) {
    const e = this.instructions_, n = this.zIndex + this.offset_;
    e[n] || (e[n] = []), e[n].push(...t);
  }
  /**
   * @private
   * @param {...*} args Args.
   * @return {ZIndexContext} This.
   */
  pushMethodArgs_ = (...t) => (this.push_(t), this);
  /**
   * Push a function that renders to the context directly.
   * @param {function(CanvasRenderingContext2D): void} render Function.
   */
  pushFunction(t) {
    this.push_(t);
  }
  /**
   * Get a proxy for CanvasRenderingContext2D which does not support getting state
   * (e.g. `context.globalAlpha`, which will return `undefined`). To set state, if it relies on a
   * previous state (e.g. `context.globalAlpha = context.globalAlpha / 2`), set a function,
   * e.g. `context.globalAlpha = (context) => context.globalAlpha / 2`.
   * @return {ZIndexContextProxy} Context.
   */
  getContext() {
    return this.context_;
  }
  /**
   * @param {CanvasRenderingContext2D|OffscreenCanvasRenderingContext2D} context Context.
   */
  draw(t) {
    this.instructions_.forEach((e) => {
      for (let n = 0, r = e.length; n < r; ++n) {
        const s = e[n];
        if (typeof s == "function") {
          s(t);
          continue;
        }
        const o = e[++n];
        if (typeof /** @type {*} */
        t[s] == "function")
          t[s](...o);
        else {
          if (typeof o == "function") {
            t[s] = o(t);
            continue;
          }
          t[s] = o;
        }
      }
    });
  }
  clear() {
    this.instructions_.length = 0, this.zIndex = 0, this.offset_ = 0;
  }
  /**
   * Offsets the zIndex by the highest current zIndex. Useful for rendering multiple worlds or tiles, to
   * avoid conflicting context.clip() or context.save()/restore() calls.
   */
  offset() {
    this.offset_ = this.instructions_.length, this.zIndex = 0;
  }
}
const ni = ce(), hn = [], Xe = [], Ye = [], cn = [];
function fh(i) {
  return i[3].declutterBox;
}
const _h = new RegExp(
  /* eslint-disable prettier/prettier */
  "[֑-ࣿיִ-﷿ﹰ-ﻼࠀ-࿿-]"
  /* eslint-enable prettier/prettier */
);
function xo(i, t) {
  return t === "start" ? t = _h.test(i) ? "right" : "left" : t === "end" && (t = _h.test(i) ? "left" : "right"), Ss[t];
}
function u_(i, t, e) {
  return e > 0 && i.push(`
`, ""), i.push(t, ""), i;
}
function d_(i, t, e) {
  return e % 2 === 0 && (i += t), i;
}
class g_ {
  /**
   * @param {number} resolution Resolution.
   * @param {number} pixelRatio Pixel ratio.
   * @param {boolean} overlaps The replay can have overlapping geometries.
   * @param {import("../canvas.js").SerializableInstructions} instructions The serializable instructions.
   * @param {boolean} [deferredRendering] Enable deferred rendering.
   */
  constructor(t, e, n, r, s) {
    this.overlaps = n, this.pixelRatio = e, this.resolution = t, this.alignAndScaleFill_, this.instructions = r.instructions, this.coordinates = r.coordinates, this.coordinateCache_ = {}, this.renderedTransform_ = wt(), this.hitDetectionInstructions = r.hitDetectionInstructions, this.pixelCoordinates_ = null, this.viewRotation_ = 0, this.fillStates = r.fillStates || {}, this.strokeStates = r.strokeStates || {}, this.textStates = r.textStates || {}, this.widths_ = {}, this.labels_ = {}, this.zIndexContext_ = s ? new Qc() : null;
  }
  /**
   * @return {ZIndexContext} ZIndex context.
   */
  getZIndexContext() {
    return this.zIndexContext_;
  }
  /**
   * @param {string|Array<string>} text Text.
   * @param {string} textKey Text style key.
   * @param {string} fillKey Fill style key.
   * @param {string} strokeKey Stroke style key.
   * @return {import("../canvas.js").Label} Label.
   */
  createLabel(t, e, n, r) {
    const s = t + e + n + r;
    if (this.labels_[s])
      return this.labels_[s];
    const o = r ? this.strokeStates[r] : null, a = n ? this.fillStates[n] : null, l = this.textStates[e], h = this.pixelRatio, c = [
      l.scale[0] * h,
      l.scale[1] * h
    ], u = l.justify ? Ss[l.justify] : xo(
      Array.isArray(t) ? t[0] : t,
      l.textAlign || vr
    ), d = r && o.lineWidth ? o.lineWidth : 0, g = Array.isArray(t) ? t : String(t).split(`
`).reduce(u_, []), { width: f, height: p, widths: _, heights: y, lineWidths: x } = bf(
      l,
      g
    ), E = f + d, v = [], m = (E + 2) * c[0], C = (p + d) * c[1], T = {
      width: m < 0 ? Math.floor(m) : Math.ceil(m),
      height: C < 0 ? Math.floor(C) : Math.ceil(C),
      contextInstructions: v
    };
    (c[0] != 1 || c[1] != 1) && v.push("scale", c), r && (v.push("strokeStyle", o.strokeStyle), v.push("lineWidth", d), v.push("lineCap", o.lineCap), v.push("lineJoin", o.lineJoin), v.push("miterLimit", o.miterLimit), v.push("setLineDash", [o.lineDash]), v.push("lineDashOffset", o.lineDashOffset)), n && v.push("fillStyle", a.fillStyle), v.push("textBaseline", "middle"), v.push("textAlign", "center");
    const w = 0.5 - u;
    let b = u * E + w * d;
    const L = [], A = [];
    let P = 0, R = 0, F = 0, O = 0, B;
    for (let D = 0, U = g.length; D < U; D += 2) {
      const V = g[D];
      if (V === `
`) {
        R += P, P = 0, b = u * E + w * d, ++O;
        continue;
      }
      const q = g[D + 1] || l.font;
      q !== B && (r && L.push("font", q), n && A.push("font", q), B = q), P = Math.max(P, y[F]);
      const rt = [
        V,
        b + w * _[F] + u * (_[F] - x[O]),
        0.5 * (d + P) + R
      ];
      b += _[F], r && L.push("strokeText", rt), n && A.push("fillText", rt), ++F;
    }
    return Array.prototype.push.apply(v, L), Array.prototype.push.apply(v, A), this.labels_[s] = T, T;
  }
  /**
   * @param {CanvasRenderingContext2D} context Context.
   * @param {import("../../coordinate.js").Coordinate} p1 1st point of the background box.
   * @param {import("../../coordinate.js").Coordinate} p2 2nd point of the background box.
   * @param {import("../../coordinate.js").Coordinate} p3 3rd point of the background box.
   * @param {import("../../coordinate.js").Coordinate} p4 4th point of the background box.
   * @param {Array<*>} fillInstruction Fill instruction.
   * @param {Array<*>} strokeInstruction Stroke instruction.
   */
  replayTextBackground_(t, e, n, r, s, o, a) {
    t.beginPath(), t.moveTo.apply(t, e), t.lineTo.apply(t, n), t.lineTo.apply(t, r), t.lineTo.apply(t, s), t.lineTo.apply(t, e), o && (this.alignAndScaleFill_ = /** @type {number} */
    o[2], t.fillStyle = /** @type {string} */
    o[1], this.fill_(t)), a && (this.setStrokeStyle_(
      t,
      /** @type {Array<*>} */
      a
    ), t.stroke());
  }
  /**
   * @private
   * @param {number} sheetWidth Width of the sprite sheet.
   * @param {number} sheetHeight Height of the sprite sheet.
   * @param {number} centerX X.
   * @param {number} centerY Y.
   * @param {number} width Width.
   * @param {number} height Height.
   * @param {number} anchorX Anchor X.
   * @param {number} anchorY Anchor Y.
   * @param {number} originX Origin X.
   * @param {number} originY Origin Y.
   * @param {number} rotation Rotation.
   * @param {import("../../size.js").Size} scale Scale.
   * @param {boolean} snapToPixel Snap to pixel.
   * @param {Array<number>} padding Padding.
   * @param {boolean} fillStroke Background fill or stroke.
   * @param {import("../../Feature.js").FeatureLike} feature Feature.
   * @return {ImageOrLabelDimensions} Dimensions for positioning and decluttering the image or label.
   */
  calculateImageOrLabelDimensions_(t, e, n, r, s, o, a, l, h, c, u, d, g, f, p, _) {
    a *= d[0], l *= d[1];
    let y = n - a, x = r - l;
    const E = s + h > t ? t - h : s, v = o + c > e ? e - c : o, m = f[3] + E * d[0] + f[1], C = f[0] + v * d[1] + f[2], T = y - f[3], w = x - f[0];
    (p || u !== 0) && (hn[0] = T, cn[0] = T, hn[1] = w, Xe[1] = w, Xe[0] = T + m, Ye[0] = Xe[0], Ye[1] = w + C, cn[1] = Ye[1]);
    let b;
    return u !== 0 ? (b = we(
      wt(),
      n,
      r,
      1,
      1,
      u,
      -n,
      -r
    ), mt(b, hn), mt(b, Xe), mt(b, Ye), mt(b, cn), Sn(
      Math.min(hn[0], Xe[0], Ye[0], cn[0]),
      Math.min(hn[1], Xe[1], Ye[1], cn[1]),
      Math.max(hn[0], Xe[0], Ye[0], cn[0]),
      Math.max(hn[1], Xe[1], Ye[1], cn[1]),
      ni
    )) : Sn(
      Math.min(T, T + m),
      Math.min(w, w + C),
      Math.max(T, T + m),
      Math.max(w, w + C),
      ni
    ), g && (y = Math.round(y), x = Math.round(x)), {
      drawImageX: y,
      drawImageY: x,
      drawImageW: E,
      drawImageH: v,
      originX: h,
      originY: c,
      declutterBox: {
        minX: ni[0],
        minY: ni[1],
        maxX: ni[2],
        maxY: ni[3],
        value: _
      },
      canvasTransform: b,
      scale: d
    };
  }
  /**
   * @private
   * @param {CanvasRenderingContext2D} context Context.
   * @param {import('../../size.js').Size} scaledCanvasSize Scaled canvas size.
   * @param {import("../canvas.js").Label|HTMLImageElement|HTMLCanvasElement|HTMLVideoElement} imageOrLabel Image.
   * @param {ImageOrLabelDimensions} dimensions Dimensions.
   * @param {number} opacity Opacity.
   * @param {Array<*>} fillInstruction Fill instruction.
   * @param {Array<*>} strokeInstruction Stroke instruction.
   * @return {boolean} The image or label was rendered.
   */
  replayImageOrLabel_(t, e, n, r, s, o, a) {
    const l = !!(o || a), h = r.declutterBox, c = a ? a[2] * r.scale[0] / 2 : 0;
    return h.minX - c <= e[0] && h.maxX + c >= 0 && h.minY - c <= e[1] && h.maxY + c >= 0 && (l && this.replayTextBackground_(
      t,
      hn,
      Xe,
      Ye,
      cn,
      /** @type {Array<*>} */
      o,
      /** @type {Array<*>} */
      a
    ), Pf(
      t,
      r.canvasTransform,
      s,
      n,
      r.originX,
      r.originY,
      r.drawImageW,
      r.drawImageH,
      r.drawImageX,
      r.drawImageY,
      r.scale
    )), !0;
  }
  /**
   * @private
   * @param {CanvasRenderingContext2D|OffscreenCanvasRenderingContext2D} context Context.
   */
  fill_(t) {
    const e = this.alignAndScaleFill_;
    if (e) {
      const n = mt(this.renderedTransform_, [0, 0]), r = 512 * this.pixelRatio;
      t.save(), t.translate(n[0] % r, n[1] % r), e !== 1 && t.scale(e, e), t.rotate(this.viewRotation_);
    }
    t.fill(), e && t.restore();
  }
  /**
   * @private
   * @param {CanvasRenderingContext2D|OffscreenCanvasRenderingContext2D} context Context.
   * @param {Array<*>} instruction Instruction.
   */
  setStrokeStyle_(t, e) {
    t.strokeStyle = /** @type {import("../../colorlike.js").ColorLike} */
    e[1], e[1] && (t.lineWidth = /** @type {number} */
    e[2], t.lineCap = /** @type {CanvasLineCap} */
    e[3], t.lineJoin = /** @type {CanvasLineJoin} */
    e[4], t.miterLimit = /** @type {number} */
    e[5], t.lineDashOffset = /** @type {number} */
    e[7], t.setLineDash(
      /** @type {Array<number>} */
      e[6]
    ));
  }
  /**
   * @private
   * @param {string|Array<string>} text The text to draw.
   * @param {string} textKey The key of the text state.
   * @param {string} strokeKey The key for the stroke state.
   * @param {string} fillKey The key for the fill state.
   * @return {{label: import("../canvas.js").Label, anchorX: number, anchorY: number}} The text image and its anchor.
   */
  drawLabelWithPointPlacement_(t, e, n, r) {
    const s = this.textStates[e], o = this.createLabel(t, e, r, n), a = this.strokeStates[n], l = this.pixelRatio, h = xo(
      Array.isArray(t) ? t[0] : t,
      s.textAlign || vr
    ), c = Ss[s.textBaseline || Es], u = a && a.lineWidth ? a.lineWidth : 0, d = o.width / l - 2 * s.scale[0], g = h * d + 2 * (0.5 - h) * u, f = c * o.height / l + 2 * (0.5 - c) * u;
    return {
      label: o,
      anchorX: g,
      anchorY: f
    };
  }
  /**
   * @private
   * @param {CanvasRenderingContext2D|OffscreenCanvasRenderingContext2D} context Context.
   * @param {import('../../size.js').Size} scaledCanvasSize Scaled canvas size
   * @param {import("../../transform.js").Transform} transform Transform.
   * @param {Array<*>} instructions Instructions array.
   * @param {boolean} snapToPixel Snap point symbols and text to integer pixels.
   * @param {FeatureCallback<T>} [featureCallback] Feature callback.
   * @param {import("../../extent.js").Extent} [hitExtent] Only check
   *     features that intersect this extent.
   * @param {import("rbush").default<DeclutterEntry>} [declutterTree] Declutter tree.
   * @return {T|undefined} Callback result.
   * @template T
   */
  execute_(t, e, n, r, s, o, a, l) {
    const h = this.zIndexContext_;
    let c;
    this.pixelCoordinates_ && ze(n, this.renderedTransform_) ? c = this.pixelCoordinates_ : (this.pixelCoordinates_ || (this.pixelCoordinates_ = []), c = Be(
      this.coordinates,
      0,
      this.coordinates.length,
      2,
      n,
      this.pixelCoordinates_
    ), Ec(this.renderedTransform_, n));
    let u = 0;
    const d = r.length;
    let g = 0, f, p, _, y, x, E, v, m, C, T, w, b, L, A = 0, P = 0;
    const R = this.coordinateCache_, F = this.viewRotation_, O = Math.round(Math.atan2(-n[1], n[0]) * 1e12) / 1e12, B = (
      /** @type {import("../../render.js").State} */
      {
        context: t,
        pixelRatio: this.pixelRatio,
        resolution: this.resolution,
        rotation: F
      }
    ), D = this.instructions != r || this.overlaps ? 0 : 200;
    let U, V, q, rt;
    for (; u < d; ) {
      const I = r[u];
      switch (
        /** @type {import("./Instruction.js").default} */
        I[0]
      ) {
        case $.BEGIN_GEOMETRY:
          U = /** @type {import("../../Feature.js").FeatureLike} */
          I[1], rt = I[3], U.getGeometry() ? a !== void 0 && !Yt(a, rt.getExtent()) ? u = /** @type {number} */
          I[2] + 1 : ++u : u = /** @type {number} */
          I[2], h && (h.zIndex = I[4]);
          break;
        case $.BEGIN_PATH:
          A > D && (this.fill_(t), A = 0), P > D && (t.stroke(), P = 0), !A && !P && (t.beginPath(), x = NaN, E = NaN), ++u;
          break;
        case $.CIRCLE:
          g = /** @type {number} */
          I[1];
          const Gt = c[g], se = c[g + 1], Et = c[g + 2], vt = c[g + 3], Bt = Et - Gt, M = vt - se, G = Math.sqrt(Bt * Bt + M * M);
          t.moveTo(Gt + G, se), t.arc(Gt, se, G, 0, 2 * Math.PI, !0), ++u;
          break;
        case $.CLOSE_PATH:
          t.closePath(), ++u;
          break;
        case $.CUSTOM:
          g = /** @type {number} */
          I[1], f = I[2];
          const et = (
            /** @type {import("../../geom/SimpleGeometry.js").default} */
            I[3]
          ), an = I[4], Oi = I[5];
          B.geometry = et, B.feature = U, u in R || (R[u] = []);
          const Tn = R[u];
          Oi ? Oi(c, g, f, 2, Tn) : (Tn[0] = c[g], Tn[1] = c[g + 1], Tn.length = 2), h && (h.zIndex = I[6]), an(Tn, B), ++u;
          break;
        case $.DRAW_IMAGE:
          g = /** @type {number} */
          I[1], f = /** @type {number} */
          I[2], C = /** @type {HTMLCanvasElement|HTMLVideoElement|HTMLImageElement} */
          I[3], p = /** @type {number} */
          I[4], _ = /** @type {number} */
          I[5];
          let ue = (
            /** @type {number} */
            I[6]
          );
          const Fe = (
            /** @type {number} */
            I[7]
          ), Hn = (
            /** @type {number} */
            I[8]
          ), qn = (
            /** @type {number} */
            I[9]
          ), ki = (
            /** @type {boolean} */
            I[10]
          );
          let wn = (
            /** @type {number} */
            I[11]
          );
          const Jn = (
            /** @type {import("../../size.js").Size} */
            I[12]
          );
          let Qn = (
            /** @type {number} */
            I[13]
          );
          y = I[14] || "declutter";
          const bt = (
            /** @type {{args: import("../canvas.js").DeclutterImageWithText, declutterMode: import('../../style/Style.js').DeclutterMode}} */
            I[15]
          );
          if (!C && I.length >= 20) {
            T = /** @type {string} */
            I[19], w = /** @type {string} */
            I[20], b = /** @type {string} */
            I[21], L = /** @type {string} */
            I[22];
            const de = this.drawLabelWithPointPlacement_(
              T,
              w,
              b,
              L
            );
            C = de.label, I[3] = C;
            const Rn = (
              /** @type {number} */
              I[23]
            );
            p = (de.anchorX - Rn) * this.pixelRatio, I[4] = p;
            const ge = (
              /** @type {number} */
              I[24]
            );
            _ = (de.anchorY - ge) * this.pixelRatio, I[5] = _, ue = C.height, I[6] = ue, Qn = C.width, I[13] = Qn;
          }
          let Qs;
          I.length > 25 && (Qs = /** @type {number} */
          I[25]);
          let to, zr, $r;
          I.length > 17 ? (to = /** @type {Array<number>} */
          I[16], zr = /** @type {Array<*>} */
          I[17], $r = /** @type {Array<*>} */
          I[18]) : (to = Ln, zr = null, $r = null), ki && O ? wn += F : !ki && !O && (wn -= F);
          let Wu = 0;
          for (; g < f; g += 2) {
            if (Qs && Qs[Wu++] < Qn / this.pixelRatio)
              continue;
            const de = this.calculateImageOrLabelDimensions_(
              C.width,
              C.height,
              c[g],
              c[g + 1],
              Qn,
              ue,
              p,
              _,
              Hn,
              qn,
              wn,
              Jn,
              s,
              to,
              !!zr || !!$r,
              U
            ), Rn = [
              t,
              e,
              C,
              de,
              Fe,
              zr,
              $r
            ];
            if (l) {
              let ge, Ie, fe;
              if (bt) {
                const pt = f - g;
                if (!bt[pt]) {
                  bt[pt] = { args: Rn, declutterMode: y };
                  continue;
                }
                const Vt = bt[pt];
                ge = Vt.args, Ie = Vt.declutterMode, delete bt[pt], fe = fh(ge);
              }
              let je, Ve;
              if (ge && (Ie !== "declutter" || !l.collides(fe)) && (je = !0), (y !== "declutter" || !l.collides(de.declutterBox)) && (Ve = !0), Ie === "declutter" && y === "declutter") {
                const pt = je && Ve;
                je = pt, Ve = pt;
              }
              je && (Ie !== "none" && l.insert(fe), this.replayImageOrLabel_.apply(this, ge)), Ve && (y !== "none" && l.insert(de.declutterBox), this.replayImageOrLabel_.apply(this, Rn));
            } else
              this.replayImageOrLabel_.apply(this, Rn);
          }
          ++u;
          break;
        case $.DRAW_CHARS:
          const Pl = (
            /** @type {number} */
            I[1]
          ), Al = (
            /** @type {number} */
            I[2]
          ), eo = (
            /** @type {number} */
            I[3]
          ), Xu = (
            /** @type {number} */
            I[4]
          );
          L = /** @type {string} */
          I[5];
          const Yu = (
            /** @type {number} */
            I[6]
          ), Fl = (
            /** @type {number} */
            I[7]
          ), Il = (
            /** @type {number} */
            I[8]
          );
          b = /** @type {string} */
          I[9];
          const no = (
            /** @type {number} */
            I[10]
          );
          T = /** @type {string|Array<string>} */
          I[11], Array.isArray(T) && (T = T.reduce(d_, "")), w = /** @type {string} */
          I[12];
          const Ml = [
            /** @type {number} */
            I[13],
            /** @type {number} */
            I[13]
          ];
          y = I[14] || "declutter";
          const Zu = (
            /** @type {boolean} */
            I[15]
          ), io = this.textStates[w], Ni = io.font, Gi = [
            io.scale[0] * Fl,
            io.scale[1] * Fl
          ];
          let Bi;
          Ni in this.widths_ ? Bi = this.widths_[Ni] : (Bi = {}, this.widths_[Ni] = Bi);
          const Ll = Na(c, Pl, Al, 2), Dl = Math.abs(Gi[0]) * eh(Ni, T, Bi);
          if (Xu || Dl <= Ll) {
            const de = this.textStates[w].textAlign, Rn = (Ll - Dl) * xo(T, de), ge = c_(
              c,
              Pl,
              Al,
              2,
              T,
              Rn,
              Yu,
              Math.abs(Gi[0]),
              eh,
              Ni,
              Bi,
              O ? 0 : this.viewRotation_,
              Zu
            );
            t: if (ge) {
              const Ie = [];
              let fe, je, Ve, pt, Vt;
              if (b)
                for (fe = 0, je = ge.length; fe < je; ++fe) {
                  Vt = ge[fe], Ve = /** @type {string} */
                  Vt[4], pt = this.createLabel(Ve, w, "", b), p = /** @type {number} */
                  Vt[2] + (Gi[0] < 0 ? -no : no), _ = eo * pt.height + (0.5 - eo) * 2 * no * Gi[1] / Gi[0] - Il;
                  const We = this.calculateImageOrLabelDimensions_(
                    pt.width,
                    pt.height,
                    Vt[0],
                    Vt[1],
                    pt.width,
                    pt.height,
                    p,
                    _,
                    0,
                    0,
                    Vt[3],
                    Ml,
                    !1,
                    Ln,
                    !1,
                    U
                  );
                  if (l && y === "declutter" && l.collides(We.declutterBox))
                    break t;
                  Ie.push([
                    t,
                    e,
                    pt,
                    We,
                    1,
                    null,
                    null
                  ]);
                }
              if (L)
                for (fe = 0, je = ge.length; fe < je; ++fe) {
                  Vt = ge[fe], Ve = /** @type {string} */
                  Vt[4], pt = this.createLabel(Ve, w, L, ""), p = /** @type {number} */
                  Vt[2], _ = eo * pt.height - Il;
                  const We = this.calculateImageOrLabelDimensions_(
                    pt.width,
                    pt.height,
                    Vt[0],
                    Vt[1],
                    pt.width,
                    pt.height,
                    p,
                    _,
                    0,
                    0,
                    Vt[3],
                    Ml,
                    !1,
                    Ln,
                    !1,
                    U
                  );
                  if (l && y === "declutter" && l.collides(We.declutterBox))
                    break t;
                  Ie.push([
                    t,
                    e,
                    pt,
                    We,
                    1,
                    null,
                    null
                  ]);
                }
              l && y !== "none" && l.load(Ie.map(fh));
              for (let We = 0, Ku = Ie.length; We < Ku; ++We)
                this.replayImageOrLabel_.apply(this, Ie[We]);
            }
          }
          ++u;
          break;
        case $.END_GEOMETRY:
          if (o !== void 0) {
            U = /** @type {import("../../Feature.js").FeatureLike} */
            I[1];
            const de = o(
              U,
              rt,
              y
            );
            if (de)
              return de;
          }
          ++u;
          break;
        case $.FILL:
          D ? A++ : this.fill_(t), ++u;
          break;
        case $.MOVE_TO_LINE_TO:
          for (g = /** @type {number} */
          I[1], f = /** @type {number} */
          I[2], V = c[g], q = c[g + 1], t.moveTo(V, q), x = V + 0.5 | 0, E = q + 0.5 | 0, g += 2; g < f; g += 2)
            V = c[g], q = c[g + 1], v = V + 0.5 | 0, m = q + 0.5 | 0, (g == f - 2 || v !== x || m !== E) && (t.lineTo(V, q), x = v, E = m);
          ++u;
          break;
        case $.SET_FILL_STYLE:
          this.alignAndScaleFill_ = I[2], A && (this.fill_(t), A = 0, P && (t.stroke(), P = 0)), t.fillStyle = I[1], ++u;
          break;
        case $.SET_STROKE_STYLE:
          P && (t.stroke(), P = 0), this.setStrokeStyle_(
            t,
            /** @type {Array<*>} */
            I
          ), ++u;
          break;
        case $.STROKE:
          D ? P++ : t.stroke(), ++u;
          break;
        default:
          ++u;
          break;
      }
    }
    A && this.fill_(t), P && t.stroke();
  }
  /**
   * @param {CanvasRenderingContext2D|OffscreenCanvasRenderingContext2D} context Context.
   * @param {import('../../size.js').Size} scaledCanvasSize Scaled canvas size.
   * @param {import("../../transform.js").Transform} transform Transform.
   * @param {number} viewRotation View rotation.
   * @param {boolean} snapToPixel Snap point symbols and text to integer pixels.
   * @param {import("rbush").default<DeclutterEntry>} [declutterTree] Declutter tree.
   */
  execute(t, e, n, r, s, o) {
    this.viewRotation_ = r, this.execute_(
      t,
      e,
      n,
      this.instructions,
      s,
      void 0,
      void 0,
      o
    );
  }
  /**
   * @param {CanvasRenderingContext2D|OffscreenCanvasRenderingContext2D} context Context.
   * @param {import("../../transform.js").Transform} transform Transform.
   * @param {number} viewRotation View rotation.
   * @param {FeatureCallback<T>} [featureCallback] Feature callback.
   * @param {import("../../extent.js").Extent} [hitExtent] Only check
   *     features that intersect this extent.
   * @return {T|undefined} Callback result.
   * @template T
   */
  executeHitDetection(t, e, n, r, s) {
    return this.viewRotation_ = n, this.execute_(
      t,
      [t.canvas.width, t.canvas.height],
      e,
      this.hitDetectionInstructions,
      !0,
      r,
      s
    );
  }
}
const Fn = [
  "Polygon",
  "Circle",
  "LineString",
  "Image",
  "Text",
  "Default"
], tu = ["Image", "Text"], f_ = Fn.filter(
  (i) => !tu.includes(i)
);
class __ {
  /**
   * @param {import("../../extent.js").Extent} maxExtent Max extent for clipping. When a
   * `maxExtent` was set on the Builder for this executor group, the same `maxExtent`
   * should be set here, unless the target context does not exceed that extent (which
   * can be the case when rendering to tiles).
   * @param {number} resolution Resolution.
   * @param {number} pixelRatio Pixel ratio.
   * @param {boolean} overlaps The executor group can have overlapping geometries.
   * @param {!Object<string, !Object<import("../canvas.js").BuilderType, import("../canvas.js").SerializableInstructions>>} allInstructions
   * The serializable instructions.
   * @param {number} [renderBuffer] Optional rendering buffer.
   * @param {boolean} [deferredRendering] Enable deferred rendering with renderDeferred().
   */
  constructor(t, e, n, r, s, o, a) {
    this.maxExtent_ = t, this.overlaps_ = r, this.pixelRatio_ = n, this.resolution_ = e, this.renderBuffer_ = o, this.executorsByZIndex_ = {}, this.hitDetectionContext_ = null, this.hitDetectionTransform_ = wt(), this.renderedContext_ = null, this.deferredZIndexContexts_ = {}, this.createExecutors_(s, a);
  }
  /**
   * @param {CanvasRenderingContext2D|OffscreenCanvasRenderingContext2D} context Context.
   * @param {import("../../transform.js").Transform} transform Transform.
   */
  clip(t, e) {
    const n = this.getClipCoords(e);
    t.beginPath(), t.moveTo(n[0], n[1]), t.lineTo(n[2], n[3]), t.lineTo(n[4], n[5]), t.lineTo(n[6], n[7]), t.clip();
  }
  /**
   * Create executors and populate them using the provided instructions.
   * @private
   * @param {!Object<string, !Object<string, import("../canvas.js").SerializableInstructions>>} allInstructions The serializable instructions
   * @param {boolean} deferredRendering Enable deferred rendering.
   */
  createExecutors_(t, e) {
    for (const n in t) {
      let r = this.executorsByZIndex_[n];
      r === void 0 && (r = {}, this.executorsByZIndex_[n] = r);
      const s = t[n];
      for (const o in s) {
        const a = s[o];
        r[o] = new g_(
          this.resolution_,
          this.pixelRatio_,
          this.overlaps_,
          a,
          e
        );
      }
    }
  }
  /**
   * @param {Array<import("../canvas.js").BuilderType>} executors Executors.
   * @return {boolean} Has executors of the provided types.
   */
  hasExecutors(t) {
    for (const e in this.executorsByZIndex_) {
      const n = this.executorsByZIndex_[e];
      for (let r = 0, s = t.length; r < s; ++r)
        if (t[r] in n)
          return !0;
    }
    return !1;
  }
  /**
   * @param {import("../../coordinate.js").Coordinate} coordinate Coordinate.
   * @param {number} resolution Resolution.
   * @param {number} rotation Rotation.
   * @param {number} hitTolerance Hit tolerance in pixels.
   * @param {function(import("../../Feature.js").FeatureLike, import("../../geom/SimpleGeometry.js").default, number): T} callback Feature callback.
   * @param {Array<import("../../Feature.js").FeatureLike>} declutteredFeatures Decluttered features.
   * @return {T|undefined} Callback result.
   * @template T
   */
  forEachFeatureAtCoordinate(t, e, n, r, s, o) {
    r = Math.round(r);
    const a = r * 2 + 1, l = we(
      this.hitDetectionTransform_,
      r + 0.5,
      r + 0.5,
      1 / e,
      -1 / e,
      -n,
      -t[0],
      -t[1]
    ), h = !this.hitDetectionContext_;
    h && (this.hitDetectionContext_ = Rt(
      a,
      a
    ));
    const c = this.hitDetectionContext_;
    c.canvas.width !== a || c.canvas.height !== a ? (c.canvas.width = a, c.canvas.height = a) : h || c.clearRect(0, 0, a, a);
    let u;
    this.renderBuffer_ !== void 0 && (u = ce(), tr(u, t), br(
      u,
      e * (this.renderBuffer_ + r),
      u
    ));
    const d = p_(r);
    let g;
    function f(m, C, T) {
      const w = c.getImageData(
        0,
        0,
        a,
        a
      ).data;
      for (let b = 0, L = d.length; b < L; b++)
        if (w[d[b]] > 0) {
          if (!o || T === "none" || g !== "Image" && g !== "Text" || o.includes(m)) {
            const A = (d[b] - 3) / 4, P = r - A % a, R = r - (A / a | 0), F = s(m, C, P * P + R * R);
            if (F)
              return F;
          }
          c.clearRect(0, 0, a, a);
          break;
        }
    }
    const p = Object.keys(this.executorsByZIndex_).map(Number);
    p.sort(en);
    let _, y, x, E, v;
    for (_ = p.length - 1; _ >= 0; --_) {
      const m = p[_].toString();
      for (x = this.executorsByZIndex_[m], y = Fn.length - 1; y >= 0; --y)
        if (g = Fn[y], E = x[g], E !== void 0 && (v = E.executeHitDetection(
          c,
          l,
          n,
          f,
          u
        ), v))
          return v;
    }
  }
  /**
   * @param {import("../../transform.js").Transform} transform Transform.
   * @return {Array<number>|null} Clip coordinates.
   */
  getClipCoords(t) {
    const e = this.maxExtent_;
    if (!e)
      return null;
    const n = e[0], r = e[1], s = e[2], o = e[3], a = [n, r, n, o, s, o, s, r];
    return Be(a, 0, 8, 2, t, a), a;
  }
  /**
   * @return {boolean} Is empty.
   */
  isEmpty() {
    return Bn(this.executorsByZIndex_);
  }
  /**
   * @param {CanvasRenderingContext2D|OffscreenCanvasRenderingContext2D} targetContext Context.
   * @param {import('../../size.js').Size} scaledCanvasSize Scale of the context.
   * @param {import("../../transform.js").Transform} transform Transform.
   * @param {number} viewRotation View rotation.
   * @param {boolean} snapToPixel Snap point symbols and test to integer pixel.
   * @param {Array<import("../canvas.js").BuilderType>} [builderTypes] Ordered replay types to replay.
   *     Default is {@link module:ol/render/replay~ALL}
   * @param {import("rbush").default<import('./Executor.js').DeclutterEntry>|null} [declutterTree] Declutter tree.
   *     When set to null, no decluttering is done, even when the executor group has a `ZIndexContext`.
   */
  execute(t, e, n, r, s, o, a) {
    const l = Object.keys(this.executorsByZIndex_).map(Number);
    l.sort(a ? bg : en), o = o || Fn;
    const h = Fn.length;
    for (let c = 0, u = l.length; c < u; ++c) {
      const d = l[c].toString(), g = this.executorsByZIndex_[d];
      for (let f = 0, p = o.length; f < p; ++f) {
        const _ = o[f], y = g[_];
        if (y !== void 0) {
          const x = a === null ? void 0 : y.getZIndexContext(), E = x ? x.getContext() : t, v = this.maxExtent_ && _ !== "Image" && _ !== "Text";
          if (v && (E.save(), this.clip(E, n)), !x || _ === "Text" || _ === "Image" ? y.execute(
            E,
            e,
            n,
            r,
            s,
            a
          ) : x.pushFunction(
            (m) => y.execute(
              m,
              e,
              n,
              r,
              s,
              a
            )
          ), v && E.restore(), x) {
            x.offset();
            const m = l[c] * h + Fn.indexOf(_);
            this.deferredZIndexContexts_[m] || (this.deferredZIndexContexts_[m] = []), this.deferredZIndexContexts_[m].push(x);
          }
        }
      }
    }
    this.renderedContext_ = t;
  }
  getDeferredZIndexContexts() {
    return this.deferredZIndexContexts_;
  }
  getRenderedContext() {
    return this.renderedContext_;
  }
  renderDeferred() {
    const t = this.deferredZIndexContexts_, e = Object.keys(t).map(Number).sort(en);
    for (let n = 0, r = e.length; n < r; ++n)
      t[e[n]].forEach((s) => {
        s.draw(this.renderedContext_), s.clear();
      }), t[e[n]].length = 0;
  }
}
const vo = {};
function p_(i) {
  if (vo[i] !== void 0)
    return vo[i];
  const t = i * 2 + 1, e = i * i, n = new Array(e + 1);
  for (let s = 0; s <= i; ++s)
    for (let o = 0; o <= i; ++o) {
      const a = s * s + o * o;
      if (a > e)
        break;
      let l = n[a];
      l || (l = [], n[a] = l), l.push(((i + s) * t + (i + o)) * 4 + 3), s > 0 && l.push(((i - s) * t + (i + o)) * 4 + 3), o > 0 && (l.push(((i + s) * t + (i - o)) * 4 + 3), s > 0 && l.push(((i - s) * t + (i - o)) * 4 + 3));
    }
  const r = [];
  for (let s = 0, o = n.length; s < o; ++s)
    n[s] && r.push(...n[s]);
  return vo[i] = r, r;
}
const De = 0.5;
function m_(i, t, e, n, r, s, o, a, l) {
  const h = r, c = i[0] * De, u = i[1] * De, d = Rt(c, u);
  d.imageSmoothingEnabled = !1;
  const g = d.canvas, f = new kf(
    d,
    De,
    r,
    null,
    o,
    a,
    null
  ), p = e.length, _ = Math.floor((256 * 256 * 256 - 1) / p), y = {};
  for (let E = 1; E <= p; ++E) {
    const v = e[E - 1], m = v.getStyleFunction() || n;
    if (!m)
      continue;
    let C = m(v, s);
    if (!C)
      continue;
    Array.isArray(C) || (C = [C]);
    const T = (E * _).toString(16).padStart(7, "#00000");
    for (let w = 0, b = C.length; w < b; ++w) {
      const L = C[w], A = L.getGeometryFunction()(v);
      if (!A || !Yt(h, A.getExtent()))
        continue;
      const P = L.clone(), R = P.getFill();
      R && R.setColor(T);
      const F = P.getStroke();
      F && (F.setColor(T), F.setLineDash(null)), P.setText(void 0);
      const O = L.getImage();
      if (O) {
        const V = O.getImageSize();
        if (!V)
          continue;
        const q = Rt(
          V[0],
          V[1],
          void 0,
          { alpha: !1 }
        ), rt = q.canvas;
        q.fillStyle = T, q.fillRect(0, 0, rt.width, rt.height), P.setImage(
          new Xs({
            img: rt,
            anchor: O.getAnchor(),
            anchorXUnits: "pixels",
            anchorYUnits: "pixels",
            offset: O.getOrigin(),
            opacity: 1,
            size: O.getSize(),
            scale: O.getScale(),
            rotation: O.getRotation(),
            rotateWithView: O.getRotateWithView()
          })
        );
      }
      const B = P.getZIndex() || 0;
      let D = y[B];
      D || (D = {}, y[B] = D, D.Polygon = [], D.Circle = [], D.LineString = [], D.Point = []);
      const U = A.getType();
      if (U === "GeometryCollection") {
        const V = (
          /** @type {import("../../geom/GeometryCollection.js").default} */
          A.getGeometriesArrayRecursive()
        );
        for (let q = 0, rt = V.length; q < rt; ++q) {
          const I = V[q];
          D[I.getType().replace("Multi", "")].push(
            I,
            P
          );
        }
      } else
        D[U.replace("Multi", "")].push(A, P);
    }
  }
  const x = Object.keys(y).map(Number).sort(en);
  for (let E = 0, v = x.length; E < v; ++E) {
    const m = y[x[E]];
    for (const C in m) {
      const T = m[C];
      for (let w = 0, b = T.length; w < b; w += 2) {
        f.setStyle(T[w + 1]);
        for (let L = 0, A = t.length; L < A; ++L)
          f.setTransform(t[L]), f.drawGeometry(T[w]);
      }
    }
  }
  return d.getImageData(0, 0, g.width, g.height);
}
function y_(i, t, e) {
  const n = [];
  if (e) {
    const r = Math.floor(Math.round(i[0]) * De), s = Math.floor(Math.round(i[1]) * De), o = (dt(r, 0, e.width - 1) + dt(s, 0, e.height - 1) * e.width) * 4, a = e.data[o], l = e.data[o + 1], h = e.data[o + 2] + 256 * (l + 256 * a), c = Math.floor((256 * 256 * 256 - 1) / t.length);
    h && h % c === 0 && n.push(t[h / c - 1]);
  }
  return n;
}
class ir extends Pe {
  /**
   * @param {import("./EventType.js").default} type Type.
   * @param {import("../transform.js").Transform} [inversePixelTransform] Transform for
   *     CSS pixels to rendered pixels.
   * @param {import("../Map.js").FrameState} [frameState] Frame state.
   * @param {?(CanvasRenderingContext2D|OffscreenCanvasRenderingContext2D|WebGLRenderingContext)} [context] Context.
   */
  constructor(t, e, n, r) {
    super(t), this.inversePixelTransform = e, this.frameState = n, this.context = r;
  }
}
const x_ = 5;
class eu extends Lr {
  /**
   * @param {LayerType} layer Layer.
   */
  constructor(t) {
    super(), this.ready = !0, this.boundHandleImageChange_ = this.handleImageChange_.bind(this), this.layer_ = t, this.staleKeys_ = new Array(), this.maxStaleKeys = x_;
  }
  /**
   * @return {Array<string>} Get the list of stale keys.
   */
  getStaleKeys() {
    return this.staleKeys_;
  }
  /**
   * @param {string} key The new stale key.
   */
  prependStaleKey(t) {
    this.staleKeys_.unshift(t), this.staleKeys_.length > this.maxStaleKeys && (this.staleKeys_.length = this.maxStaleKeys);
  }
  /**
   * Asynchronous layer level hit detection.
   * @param {import("../pixel.js").Pixel} pixel Pixel.
   * @return {Promise<Array<import("../Feature").FeatureLike>>} Promise that resolves with
   * an array of features.
   */
  getFeatures(t) {
    return X();
  }
  /**
   * @param {import("../pixel.js").Pixel} pixel Pixel.
   * @return {Uint8ClampedArray|Uint8Array|Float32Array|DataView|null} Pixel data.
   */
  getData(t) {
    return null;
  }
  /**
   * Determine whether render should be called.
   * @abstract
   * @param {import("../Map.js").FrameState} frameState Frame state.
   * @return {boolean} Layer is ready to be rendered.
   */
  prepareFrame(t) {
    return X();
  }
  /**
   * Render the layer.
   * @abstract
   * @param {import("../Map.js").FrameState} frameState Frame state.
   * @param {HTMLElement|null} target Target that may be used to render content to.
   * @return {HTMLElement} The rendered element.
   */
  renderFrame(t, e) {
    return X();
  }
  /**
   * @abstract
   * @param {import("../coordinate.js").Coordinate} coordinate Coordinate.
   * @param {import("../Map.js").FrameState} frameState Frame state.
   * @param {number} hitTolerance Hit tolerance in pixels.
   * @param {import("./vector.js").FeatureCallback<T>} callback Feature callback.
   * @param {Array<import("./Map.js").HitMatch<T>>} matches The hit detected matches with tolerance.
   * @return {T|undefined} Callback result.
   * @template T
   */
  forEachFeatureAtCoordinate(t, e, n, r, s) {
  }
  /**
   * @return {LayerType} Layer.
   */
  getLayer() {
    return this.layer_;
  }
  /**
   * Perform action necessary to get the layer rendered after new fonts have loaded
   * @abstract
   */
  handleFontsChanged() {
  }
  /**
   * Handle changes in image state.
   * @param {import("../events/Event.js").default} event Image change event.
   * @private
   */
  handleImageChange_(t) {
    const e = (
      /** @type {import("../Image.js").default} */
      t.target
    );
    (e.getState() === H.LOADED || e.getState() === H.ERROR) && this.renderIfReadyAndVisible();
  }
  /**
   * Load the image if not already loaded, and register the image change
   * listener if needed.
   * @param {import("../Image.js").default} image Image.
   * @return {boolean} `true` if the image is already loaded, `false` otherwise.
   * @protected
   */
  loadImage(t) {
    let e = t.getState();
    return e != H.LOADED && e != H.ERROR && t.addEventListener(Y.CHANGE, this.boundHandleImageChange_), e == H.IDLE && (t.load(), e = t.getState()), e == H.LOADED;
  }
  /**
   * @protected
   */
  renderIfReadyAndVisible() {
    const t = this.getLayer();
    t && t.getVisible() && t.getSourceState() === "ready" && t.changed();
  }
  /**
   * @param {import("../Map.js").FrameState} frameState Frame state.
   */
  renderDeferred(t) {
  }
  /**
   * Clean up.
   * @override
   */
  disposeInternal() {
    delete this.layer_, super.disposeInternal();
  }
}
const ph = [];
let gi = null;
function v_() {
  gi = Rt(1, 1, void 0, {
    willReadFrequently: !0
  });
}
class nu extends eu {
  /**
   * @param {LayerType} layer Layer.
   */
  constructor(t) {
    super(t), this.container = null, this.renderedResolution, this.tempTransform = wt(), this.pixelTransform = wt(), this.inversePixelTransform = wt(), this.context = null, this.deferredContext_ = null, this.containerReused = !1, this.frameState = null;
  }
  /**
   * @param {import('../../DataTile.js').ImageLike} image Image.
   * @param {number} col The column index.
   * @param {number} row The row index.
   * @return {Uint8ClampedArray|null} The image data.
   */
  getImageData(t, e, n) {
    gi || v_(), gi.clearRect(0, 0, 1, 1);
    let r;
    try {
      gi.drawImage(t, e, n, 1, 1, 0, 0, 1, 1), r = gi.getImageData(0, 0, 1, 1).data;
    } catch {
      return gi = null, null;
    }
    return r;
  }
  /**
   * @param {import('../../Map.js').FrameState} frameState Frame state.
   * @return {string} Background color.
   */
  getBackground(t) {
    let e = this.getLayer().getBackground();
    return typeof e == "function" && (e = e(t.viewState.resolution)), e || void 0;
  }
  /**
   * Get a rendering container from an existing target, if compatible.
   * @param {HTMLElement} target Potential render target.
   * @param {string} transform CSS transform matrix.
   * @param {string} [backgroundColor] Background color.
   */
  useContainer(t, e, n) {
    const r = this.getLayer().getClassName();
    let s, o;
    if (t && t.className === r && (!n || t && t.style.backgroundColor && ze(
      Re(t.style.backgroundColor),
      Re(n)
    ))) {
      const a = t.firstElementChild;
      yn(a) && (o = a.getContext("2d"));
    }
    if (o && Gg(o.canvas.style.transform, e) ? (this.container = t, this.context = o, this.containerReused = !0) : this.containerReused ? (this.container = null, this.context = null, this.containerReused = !1) : this.container && (this.container.style.backgroundColor = null), !this.container) {
      s = le ? Gc() : document.createElement("div"), s.className = r;
      let a = s.style;
      a.position = "absolute", a.width = "100%", a.height = "100%", o = Rt();
      const l = (
        /** @type {HTMLCanvasElement} */
        o.canvas
      );
      s.appendChild(l), a = l.style, a.position = "absolute", a.left = "0", a.transformOrigin = "top left", this.container = s, this.context = o;
    }
    !this.containerReused && n && !this.container.style.backgroundColor && (this.container.style.backgroundColor = n);
  }
  /**
   * @param {CanvasRenderingContext2D|OffscreenCanvasRenderingContext2D} context Context.
   * @param {import("../../Map.js").FrameState} frameState Frame state.
   * @param {import("../../extent.js").Extent} extent Clip extent.
   * @protected
   */
  clipUnrotated(t, e, n) {
    const r = Wn(n), s = Ds(n), o = Ls(n), a = Ms(n);
    mt(e.coordinateToPixelTransform, r), mt(e.coordinateToPixelTransform, s), mt(e.coordinateToPixelTransform, o), mt(e.coordinateToPixelTransform, a);
    const l = this.inversePixelTransform;
    mt(l, r), mt(l, s), mt(l, o), mt(l, a), t.save(), t.beginPath(), t.moveTo(Math.round(r[0]), Math.round(r[1])), t.lineTo(Math.round(s[0]), Math.round(s[1])), t.lineTo(Math.round(o[0]), Math.round(o[1])), t.lineTo(Math.round(a[0]), Math.round(a[1])), t.clip();
  }
  /**
   * @param {import("../../Map.js").FrameState} frameState Frame state.
   * @param {HTMLElement} target Target that may be used to render content to.
   * @protected
   */
  prepareContainer(t, e) {
    const n = t.extent, r = t.viewState.resolution, s = t.viewState.rotation, o = t.pixelRatio, a = Math.round(at(n) / r * o), l = Math.round(Zt(n) / r * o);
    we(
      this.pixelTransform,
      t.size[0] / 2,
      t.size[1] / 2,
      1 / o,
      1 / o,
      s,
      -a / 2,
      -l / 2
    ), dr(this.inversePixelTransform, this.pixelTransform);
    const h = Ng(this.pixelTransform);
    if (this.useContainer(e, h, this.getBackground(t)), !this.containerReused) {
      const c = this.context.canvas;
      c.width != a || c.height != l ? (c.width = a, c.height = l) : this.context.clearRect(0, 0, a, l), h !== /** @type {HTMLCanvasElement} */
      c.style.transform && (c.style.transform = h);
    }
  }
  /**
   * @param {import("../../render/EventType.js").default} type Event type.
   * @param {CanvasRenderingContext2D|OffscreenCanvasRenderingContext2D} context Context.
   * @param {import("../../Map.js").FrameState} frameState Frame state.
   * @private
   */
  dispatchRenderEvent_(t, e, n) {
    const r = this.getLayer();
    if (r.hasListener(t)) {
      const s = new ir(
        t,
        this.inversePixelTransform,
        n,
        e
      );
      r.dispatchEvent(s);
    }
  }
  /**
   * @param {CanvasRenderingContext2D|OffscreenCanvasRenderingContext2D} context Context.
   * @param {import("../../Map.js").FrameState} frameState Frame state.
   * @protected
   */
  preRender(t, e) {
    this.frameState = e, !e.declutter && this.dispatchRenderEvent_(Mt.PRERENDER, t, e);
  }
  /**
   * @param {CanvasRenderingContext2D|OffscreenCanvasRenderingContext2D} context Context.
   * @param {import("../../Map.js").FrameState} frameState Frame state.
   * @protected
   */
  postRender(t, e) {
    e.declutter || this.dispatchRenderEvent_(Mt.POSTRENDER, t, e);
  }
  /**
   * @param {import("../../Map.js").FrameState} frameState Frame state.
   */
  renderDeferredInternal(t) {
  }
  /**
   * @param {import("../../Map.js").FrameState} frameState Frame state.
   * @return {import('../../render/canvas/ZIndexContext.js').ZIndexContextProxy} Context.
   */
  getRenderContext(t) {
    return t.declutter && !this.deferredContext_ && (this.deferredContext_ = new Qc()), t.declutter ? this.deferredContext_.getContext() : this.context;
  }
  /**
   * @param {import("../../Map.js").FrameState} frameState Frame state.
   * @override
   */
  renderDeferred(t) {
    t.declutter && (this.dispatchRenderEvent_(
      Mt.PRERENDER,
      this.context,
      t
    ), t.declutter && this.deferredContext_ && (this.deferredContext_.draw(this.context), this.deferredContext_.clear()), this.renderDeferredInternal(t), this.dispatchRenderEvent_(
      Mt.POSTRENDER,
      this.context,
      t
    ));
  }
  /**
   * Creates a transform for rendering to an element that will be rotated after rendering.
   * @param {import("../../coordinate.js").Coordinate} center Center.
   * @param {number} resolution Resolution.
   * @param {number} rotation Rotation.
   * @param {number} pixelRatio Pixel ratio.
   * @param {number} width Width of the rendered element (in pixels).
   * @param {number} height Height of the rendered element (in pixels).
   * @param {number} offsetX Offset on the x-axis in view coordinates.
   * @protected
   * @return {!import("../../transform.js").Transform} Transform.
   */
  getRenderTransform(t, e, n, r, s, o, a) {
    const l = s / 2, h = o / 2, c = r / e, u = -c, d = -t[0] + a, g = -t[1];
    return we(
      this.tempTransform,
      l,
      h,
      c,
      u,
      -n,
      d,
      g
    );
  }
  /**
   * Clean up.
   * @override
   */
  disposeInternal() {
    delete this.frameState, super.disposeInternal();
  }
}
class E_ extends nu {
  /**
   * @param {import("../../layer/BaseVector.js").default} vectorLayer Vector layer.
   */
  constructor(t) {
    super(t), this.boundHandleStyleImageChange_ = this.handleStyleImageChange_.bind(this), this.animatingOrInteracting_, this.hitDetectionImageData_ = null, this.clipped_ = !1, this.renderedFeatures_ = null, this.renderedRevision_ = -1, this.renderedResolution_ = NaN, this.renderedExtent_ = ce(), this.wrappedRenderedExtent_ = ce(), this.renderedRotation_, this.renderedCenter_ = null, this.renderedProjection_ = null, this.renderedPixelRatio_ = 1, this.renderedRenderOrder_ = null, this.renderedFrameDeclutter_, this.replayGroup_ = null, this.replayGroupChanged = !0, this.clipping = !0, this.targetContext_ = null, this.opacity_ = 1;
  }
  /**
   * @param {ExecutorGroup} executorGroup Executor group.
   * @param {import("../../Map.js").FrameState} frameState Frame state.
   * @param {boolean} [declutterable] `true` to only render declutterable items,
   *     `false` to only render non-declutterable items, `undefined` to render all.
   */
  renderWorlds(t, e, n) {
    const r = e.extent, s = e.viewState, o = s.center, a = s.resolution, l = s.projection, h = s.rotation, c = l.getExtent(), u = this.getLayer().getSource(), d = this.getLayer().getDeclutter(), g = e.pixelRatio, f = e.viewHints, p = !(f[It.ANIMATING] || f[It.INTERACTING]), _ = this.context, y = Math.round(at(r) / a * g), x = Math.round(Zt(r) / a * g), E = u.getWrapX() && l.canWrapX(), v = E ? at(c) : null, m = E ? Math.ceil((r[2] - c[2]) / v) + 1 : 1;
    let C = E ? Math.floor((r[0] - c[0]) / v) : 0;
    do {
      let T = this.getRenderTransform(
        o,
        a,
        0,
        g,
        y,
        x,
        C * v
      );
      e.declutter && (T = T.slice(0)), t.execute(
        _,
        [_.canvas.width, _.canvas.height],
        T,
        h,
        p,
        n === void 0 ? Fn : n ? tu : f_,
        n ? d && e.declutter[d] : void 0
      );
    } while (++C < m);
  }
  /**
   * @private
   */
  setDrawContext_() {
    this.opacity_ !== 1 && (this.targetContext_ = this.context, this.context = Rt(
      this.context.canvas.width,
      this.context.canvas.height,
      ph
    ));
  }
  /**
   * @private
   */
  resetDrawContext_() {
    if (this.opacity_ !== 1 && this.targetContext_) {
      const t = this.targetContext_.globalAlpha;
      this.targetContext_.globalAlpha = this.opacity_, this.targetContext_.drawImage(this.context.canvas, 0, 0), this.targetContext_.globalAlpha = t, $s(this.context), ph.push(this.context.canvas), this.context = this.targetContext_, this.targetContext_ = null;
    }
  }
  /**
   * Render declutter items for this layer
   * @param {import("../../Map.js").FrameState} frameState Frame state.
   */
  renderDeclutter(t) {
    !this.replayGroup_ || !this.getLayer().getDeclutter() || this.renderWorlds(this.replayGroup_, t, !0);
  }
  /**
   * Render deferred instructions.
   * @param {import("../../Map.js").FrameState} frameState Frame state.
   * @override
   */
  renderDeferredInternal(t) {
    this.replayGroup_ && (this.replayGroup_.renderDeferred(), this.clipped_ && this.context.restore(), this.resetDrawContext_());
  }
  /**
   * Render the layer.
   * @param {import("../../Map.js").FrameState} frameState Frame state.
   * @param {HTMLElement|null} target Target that may be used to render content to.
   * @return {HTMLElement} The rendered element.
   * @override
   */
  renderFrame(t, e) {
    const n = t.layerStatesArray[t.layerIndex];
    this.opacity_ = n.opacity;
    const r = t.viewState;
    this.prepareContainer(t, e);
    const s = this.context, o = this.replayGroup_;
    let a = o && !o.isEmpty();
    if (!a && !(this.getLayer().hasListener(Mt.PRERENDER) || this.getLayer().hasListener(Mt.POSTRENDER)))
      return this.container;
    if (this.setDrawContext_(), this.preRender(s, t), r.projection, this.clipped_ = !1, a && n.extent && this.clipping) {
      const l = Qe(n.extent);
      a = Yt(l, t.extent), this.clipped_ = a && !Xi(l, t.extent), this.clipped_ && this.clipUnrotated(s, t, l);
    }
    return a && this.renderWorlds(
      o,
      t,
      this.getLayer().getDeclutter() ? !1 : void 0
    ), !t.declutter && this.clipped_ && s.restore(), this.postRender(s, t), this.renderedRotation_ !== r.rotation && (this.renderedRotation_ = r.rotation, this.hitDetectionImageData_ = null), t.declutter || this.resetDrawContext_(), this.container;
  }
  /**
   * Asynchronous layer level hit detection.
   * @param {import("../../pixel.js").Pixel} pixel Pixel.
   * @return {Promise<Array<import("../../Feature").default>>} Promise
   * that resolves with an array of features.
   * @override
   */
  getFeatures(t) {
    return new Promise((e) => {
      if (this.frameState && !this.hitDetectionImageData_ && !this.animatingOrInteracting_) {
        const n = this.frameState.size.slice(), r = this.renderedCenter_, s = this.renderedResolution_, o = this.renderedRotation_, a = this.renderedProjection_, l = this.wrappedRenderedExtent_, h = this.getLayer(), c = [], u = n[0] * De, d = n[1] * De;
        c.push(
          this.getRenderTransform(
            r,
            s,
            o,
            De,
            u,
            d,
            0
          ).slice()
        );
        const g = h.getSource(), f = a.getExtent();
        if (g.getWrapX() && a.canWrapX() && !Xi(f, l)) {
          let p = l[0];
          const _ = at(f);
          let y = 0, x;
          for (; p < f[0]; )
            --y, x = _ * y, c.push(
              this.getRenderTransform(
                r,
                s,
                o,
                De,
                u,
                d,
                x
              ).slice()
            ), p += _;
          for (y = 0, p = l[2]; p > f[2]; )
            ++y, x = _ * y, c.push(
              this.getRenderTransform(
                r,
                s,
                o,
                De,
                u,
                d,
                x
              ).slice()
            ), p -= _;
        }
        this.hitDetectionImageData_ = m_(
          n,
          c,
          this.renderedFeatures_,
          h.getStyleFunction(),
          l,
          s,
          o,
          oh(s, this.renderedPixelRatio_)
        );
      }
      e(
        y_(t, this.renderedFeatures_, this.hitDetectionImageData_)
      );
    });
  }
  /**
   * @param {import("../../coordinate.js").Coordinate} coordinate Coordinate.
   * @param {import("../../Map.js").FrameState} frameState Frame state.
   * @param {number} hitTolerance Hit tolerance in pixels.
   * @param {import("../vector.js").FeatureCallback<T>} callback Feature callback.
   * @param {Array<import("../Map.js").HitMatch<T>>} matches The hit detected matches with tolerance.
   * @return {T|undefined} Callback result.
   * @template T
   * @override
   */
  forEachFeatureAtCoordinate(t, e, n, r, s) {
    if (!this.replayGroup_)
      return;
    const o = e.viewState.resolution, a = e.viewState.rotation, l = this.getLayer(), h = {}, c = function(d, g, f) {
      const p = z(d), _ = h[p];
      if (_) {
        if (_ !== !0 && f < _.distanceSq) {
          if (f === 0)
            return h[p] = !0, s.splice(s.lastIndexOf(_), 1), r(d, l, g);
          _.geometry = g, _.distanceSq = f;
        }
      } else {
        if (f === 0)
          return h[p] = !0, r(d, l, g);
        s.push(
          h[p] = {
            feature: d,
            layer: l,
            geometry: g,
            distanceSq: f,
            callback: r
          }
        );
      }
    }, u = this.getLayer().getDeclutter();
    return this.replayGroup_.forEachFeatureAtCoordinate(
      t,
      o,
      a,
      n,
      c,
      u ? e.declutter?.[u]?.all().map((d) => d.value) : null
    );
  }
  /**
   * Perform action necessary to get the layer rendered after new fonts have loaded
   * @override
   */
  handleFontsChanged() {
    const t = this.getLayer();
    t.getVisible() && this.replayGroup_ && t.changed();
  }
  /**
   * Handle changes in image style state.
   * @param {import("../../events/Event.js").default} event Image style change event.
   * @private
   */
  handleStyleImageChange_(t) {
    this.renderIfReadyAndVisible();
  }
  /**
   * Determine whether render should be called.
   * @param {import("../../Map.js").FrameState} frameState Frame state.
   * @return {boolean} Layer is ready to be rendered.
   * @override
   */
  prepareFrame(t) {
    const e = this.getLayer(), n = e.getSource();
    if (!n)
      return !1;
    const r = t.viewHints[It.ANIMATING], s = t.viewHints[It.INTERACTING], o = e.getUpdateWhileAnimating(), a = e.getUpdateWhileInteracting();
    if (this.ready && !o && r || !a && s)
      return this.animatingOrInteracting_ = !0, !0;
    this.animatingOrInteracting_ = !1;
    const l = t.extent, h = t.viewState, c = h.projection, u = h.resolution, d = t.pixelRatio, g = e.getRevision(), f = e.getRenderBuffer();
    let p = e.getRenderOrder();
    p === void 0 && (p = Gf);
    const _ = h.center.slice(), y = br(
      l,
      f * u
    ), x = y.slice(), E = [y.slice()], v = c.getExtent();
    if (n.getWrapX() && c.canWrapX() && !Xi(v, t.extent)) {
      const F = at(v), O = Math.max(at(y) / 2, F);
      y[0] = v[0] - O, y[2] = v[2] + O, dc(_, c);
      const B = cc(E[0], c);
      B[0] < v[0] && B[2] < v[2] ? E.push([
        B[0] + F,
        B[1],
        B[2] + F,
        B[3]
      ]) : B[0] > v[0] && B[2] > v[2] && E.push([
        B[0] - F,
        B[1],
        B[2] - F,
        B[3]
      ]);
    }
    if (this.ready && this.renderedResolution_ == u && this.renderedRevision_ == g && this.renderedRenderOrder_ == p && this.renderedFrameDeclutter_ === !!t.declutter && Xi(this.wrappedRenderedExtent_, y))
      return ze(this.renderedExtent_, x) || (this.hitDetectionImageData_ = null, this.renderedExtent_ = x), this.renderedCenter_ = _, this.replayGroupChanged = !1, !0;
    this.replayGroup_ = null;
    const m = new h_(
      Zc(u, d),
      y,
      u,
      d
    );
    let C;
    for (let F = 0, O = E.length; F < O; ++F)
      n.loadFeatures(E[F], u, c);
    const T = oh(u, d);
    let w = !0;
    const b = (
      /**
       * @param {import("../../Feature.js").default} feature Feature.
       * @param {number} index Index.
       */
      ((F, O) => {
        let B;
        const D = F.getStyleFunction() || e.getStyleFunction();
        if (D && (B = D(F, u)), B) {
          const U = this.renderFeature(
            F,
            T,
            B,
            m,
            C,
            this.getLayer().getDeclutter(),
            O
          );
          w = w && !U;
        }
      })
    ), L = Aa(y), A = n.getFeaturesInExtent(L);
    p && A.sort(p);
    for (let F = 0, O = A.length; F < O; ++F)
      b(A[F], F);
    this.renderedFeatures_ = A, this.ready = w;
    const P = m.finish(), R = new __(
      y,
      u,
      d,
      n.getOverlaps(),
      P,
      e.getRenderBuffer(),
      !!t.declutter
    );
    return this.renderedResolution_ = u, this.renderedRevision_ = g, this.renderedRenderOrder_ = p, this.renderedFrameDeclutter_ = !!t.declutter, this.renderedExtent_ = x, this.wrappedRenderedExtent_ = y, this.renderedCenter_ = _, this.renderedProjection_ = c, this.renderedPixelRatio_ = d, this.replayGroup_ = R, this.hitDetectionImageData_ = null, this.replayGroupChanged = !0, !0;
  }
  /**
   * @param {import("../../Feature.js").default} feature Feature.
   * @param {number} squaredTolerance Squared render tolerance.
   * @param {import("../../style/Style.js").default|Array<import("../../style/Style.js").default>} styles The style or array of styles.
   * @param {import("../../render/canvas/BuilderGroup.js").default} builderGroup Builder group.
   * @param {import("../../proj.js").TransformFunction} [transform] Transform from user to view projection.
   * @param {boolean} [declutter] Enable decluttering.
   * @param {number} [index] Render order index.
   * @return {boolean} `true` if an image is loading.
   */
  renderFeature(t, e, n, r, s, o, a) {
    if (!n)
      return !1;
    let l = !1;
    if (Array.isArray(n))
      for (let h = 0, c = n.length; h < c; ++h)
        l = ah(
          r,
          t,
          n[h],
          e,
          this.boundHandleStyleImageChange_,
          s,
          o,
          a
        ) || l;
    else
      l = ah(
        r,
        t,
        n,
        e,
        this.boundHandleStyleImageChange_,
        s,
        o,
        a
      );
    return l;
  }
}
let Zn = 0;
const Ct = 1 << Zn++, N = 1 << Zn++, Tt = 1 << Zn++, ut = 1 << Zn++, re = 1 << Zn++, ye = 1 << Zn++, ts = Math.pow(2, Zn) - 1, Ya = {
  [Ct]: "boolean",
  [N]: "number",
  [Tt]: "string",
  [ut]: "color",
  [re]: "number[]",
  [ye]: "size"
}, S_ = Object.keys(Ya).map(Number).sort(en);
function C_(i) {
  return i in Ya;
}
function mi(i) {
  const t = [];
  for (const e of S_)
    Hi(i, e) && t.push(Ya[e]);
  return t.length === 0 ? "untyped" : t.length < 3 ? t.join(" or ") : t.slice(0, -1).join(", ") + ", or " + t[t.length - 1];
}
function Hi(i, t) {
  return (i & t) === t;
}
function Le(i, t) {
  return i === t;
}
class St {
  /**
   * @param {number} type The value type.
   * @param {LiteralValue} value The literal value.
   */
  constructor(t, e) {
    if (!C_(t))
      throw new Error(
        `literal expressions must have a specific type, got ${mi(t)}`
      );
    this.type = t, this.value = e;
  }
}
class iu {
  /**
   * @param {number} type The return type.
   * @param {string} operator The operator.
   * @param {...Expression} args The arguments.
   */
  constructor(t, e, ...n) {
    this.type = t, this.operator = e, this.args = n;
  }
}
function Za() {
  return {
    variables: /* @__PURE__ */ new Set(),
    properties: /* @__PURE__ */ new Set(),
    featureId: !1,
    geometryType: !1,
    mapState: !1
  };
}
function Dt(i, t, e) {
  switch (typeof i) {
    case "boolean": {
      if (Le(t, Tt))
        return new St(Tt, i ? "true" : "false");
      if (!Hi(t, Ct))
        throw new Error(
          `got a boolean, but expected ${mi(t)}`
        );
      return new St(Ct, i);
    }
    case "number": {
      if (Le(t, ye))
        return new St(ye, Kt(i));
      if (Le(t, Ct))
        return new St(Ct, !!i);
      if (Le(t, Tt))
        return new St(Tt, i.toString());
      if (!Hi(t, N))
        throw new Error(`got a number, but expected ${mi(t)}`);
      return new St(N, i);
    }
    case "string": {
      if (Le(t, ut))
        return new St(ut, $a(i));
      if (Le(t, Ct))
        return new St(Ct, !!i);
      if (!Hi(t, Tt))
        throw new Error(`got a string, but expected ${mi(t)}`);
      return new St(Tt, i);
    }
  }
  if (!Array.isArray(i))
    throw new Error("expression must be an array or a primitive value");
  if (i.length === 0)
    throw new Error("empty expression");
  if (typeof i[0] == "string")
    return D_(i, t, e);
  for (const n of i)
    if (typeof n != "number")
      throw new Error("expected an array of numbers");
  if (Le(t, ye)) {
    if (i.length !== 2)
      throw new Error(
        `expected an array of two values for a size, got ${i.length}`
      );
    return new St(ye, i);
  }
  if (Le(t, ut)) {
    if (i.length === 3)
      return new St(ut, [...i, 1]);
    if (i.length === 4)
      return new St(ut, i);
    throw new Error(
      `expected an array of 3 or 4 values for a color, got ${i.length}`
    );
  }
  if (!Hi(t, re))
    throw new Error(
      `got an array of numbers, but expected ${mi(t)}`
    );
  return new St(re, i);
}
const S = {
  Get: "get",
  Var: "var",
  Concat: "concat",
  GeometryType: "geometry-type",
  LineMetric: "line-metric",
  Any: "any",
  All: "all",
  Not: "!",
  Resolution: "resolution",
  Zoom: "zoom",
  Time: "time",
  Equal: "==",
  NotEqual: "!=",
  GreaterThan: ">",
  GreaterThanOrEqualTo: ">=",
  LessThan: "<",
  LessThanOrEqualTo: "<=",
  Multiply: "*",
  Divide: "/",
  Add: "+",
  Subtract: "-",
  Clamp: "clamp",
  Mod: "%",
  Pow: "^",
  Abs: "abs",
  Floor: "floor",
  Ceil: "ceil",
  Round: "round",
  Sin: "sin",
  Cos: "cos",
  Atan: "atan",
  Sqrt: "sqrt",
  Match: "match",
  Between: "between",
  Interpolate: "interpolate",
  Coalesce: "coalesce",
  Case: "case",
  In: "in",
  Number: "number",
  String: "string",
  Array: "array",
  Color: "color",
  Id: "id",
  Band: "band",
  Palette: "palette",
  ToString: "to-string",
  Has: "has"
}, T_ = {
  [S.Get]: W(K(1, 1 / 0), mh),
  [S.Var]: W(K(1, 1), w_),
  [S.Has]: W(K(1, 1 / 0), mh),
  [S.Id]: W(R_, ii),
  [S.Concat]: W(
    K(2, 1 / 0),
    st(Tt)
  ),
  [S.GeometryType]: W(b_, ii),
  [S.LineMetric]: W(ii),
  [S.Resolution]: W(Eo, ii),
  [S.Zoom]: W(Eo, ii),
  [S.Time]: W(Eo, ii),
  [S.Any]: W(
    K(2, 1 / 0),
    st(Ct)
  ),
  [S.All]: W(
    K(2, 1 / 0),
    st(Ct)
  ),
  [S.Not]: W(
    K(1, 1),
    st(Ct)
  ),
  [S.Equal]: W(
    K(2, 2),
    st(ts)
  ),
  [S.NotEqual]: W(
    K(2, 2),
    st(ts)
  ),
  [S.GreaterThan]: W(
    K(2, 2),
    st(N)
  ),
  [S.GreaterThanOrEqualTo]: W(
    K(2, 2),
    st(N)
  ),
  [S.LessThan]: W(
    K(2, 2),
    st(N)
  ),
  [S.LessThanOrEqualTo]: W(
    K(2, 2),
    st(N)
  ),
  [S.Multiply]: W(
    K(2, 1 / 0),
    yh
  ),
  [S.Coalesce]: W(
    K(2, 1 / 0),
    yh
  ),
  [S.Divide]: W(
    K(2, 2),
    st(N)
  ),
  [S.Add]: W(
    K(2, 1 / 0),
    st(N)
  ),
  [S.Subtract]: W(
    K(2, 2),
    st(N)
  ),
  [S.Clamp]: W(
    K(3, 3),
    st(N)
  ),
  [S.Mod]: W(
    K(2, 2),
    st(N)
  ),
  [S.Pow]: W(
    K(2, 2),
    st(N)
  ),
  [S.Abs]: W(
    K(1, 1),
    st(N)
  ),
  [S.Floor]: W(
    K(1, 1),
    st(N)
  ),
  [S.Ceil]: W(
    K(1, 1),
    st(N)
  ),
  [S.Round]: W(
    K(1, 1),
    st(N)
  ),
  [S.Sin]: W(
    K(1, 1),
    st(N)
  ),
  [S.Cos]: W(
    K(1, 1),
    st(N)
  ),
  [S.Atan]: W(
    K(1, 2),
    st(N)
  ),
  [S.Sqrt]: W(
    K(1, 1),
    st(N)
  ),
  [S.Match]: W(
    K(4, 1 / 0),
    xh,
    A_
  ),
  [S.Between]: W(
    K(3, 3),
    st(N)
  ),
  [S.Interpolate]: W(
    K(6, 1 / 0),
    xh,
    F_
  ),
  [S.Case]: W(
    K(3, 1 / 0),
    P_,
    I_
  ),
  [S.In]: W(K(2, 2), M_),
  [S.Number]: W(
    K(1, 1 / 0),
    st(ts)
  ),
  [S.String]: W(
    K(1, 1 / 0),
    st(ts)
  ),
  [S.Array]: W(
    K(1, 1 / 0),
    st(N)
  ),
  [S.Color]: W(
    K(1, 4),
    st(N)
  ),
  [S.Band]: W(
    K(1, 3),
    st(N)
  ),
  [S.Palette]: W(
    K(2, 2),
    L_
  ),
  [S.ToString]: W(
    K(1, 1),
    st(Ct | N | Tt | ut)
  )
};
function mh(i, t, e) {
  const n = i.length - 1, r = new Array(n);
  for (let s = 0; s < n; ++s) {
    const o = i[s + 1];
    switch (typeof o) {
      case "number": {
        r[s] = new St(N, o);
        break;
      }
      case "string": {
        r[s] = new St(Tt, o);
        break;
      }
      default:
        throw new Error(
          `expected a string key or numeric array index for a get operation, got ${o}`
        );
    }
    s === 0 && e.properties.add(String(o));
  }
  return r;
}
function w_(i, t, e) {
  const n = i[1];
  if (typeof n != "string")
    throw new Error("expected a string argument for var operation");
  return e.variables.add(n), [new St(Tt, n)];
}
function R_(i, t, e) {
  e.featureId = !0;
}
function b_(i, t, e) {
  e.geometryType = !0;
}
function Eo(i, t, e) {
  e.mapState = !0;
}
function ii(i, t, e) {
  const n = i[0];
  if (i.length !== 1)
    throw new Error(`expected no arguments for ${n} operation`);
  return [];
}
function K(i, t) {
  return function(e, n, r) {
    const s = e[0], o = e.length - 1;
    if (i === t) {
      if (o !== i) {
        const a = i === 1 ? "" : "s";
        throw new Error(
          `expected ${i} argument${a} for ${s}, got ${o}`
        );
      }
    } else if (o < i || o > t) {
      const a = t === 1 / 0 ? `${i} or more` : `${i} to ${t}`;
      throw new Error(
        `expected ${a} arguments for ${s}, got ${o}`
      );
    }
  };
}
function yh(i, t, e) {
  const n = i.length - 1, r = new Array(n);
  for (let s = 0; s < n; ++s) {
    const o = Dt(i[s + 1], t, e);
    r[s] = o;
  }
  return r;
}
function st(i) {
  return function(t, e, n) {
    const r = t.length - 1, s = new Array(r);
    for (let o = 0; o < r; ++o) {
      const a = Dt(t[o + 1], i, n);
      s[o] = a;
    }
    return s;
  };
}
function P_(i, t, e) {
  const n = i[0], r = i.length - 1;
  if (r % 2 === 0)
    throw new Error(
      `expected an odd number of arguments for ${n}, got ${r} instead`
    );
}
function xh(i, t, e) {
  const n = i[0], r = i.length - 1;
  if (r % 2 === 1)
    throw new Error(
      `expected an even number of arguments for operation ${n}, got ${r} instead`
    );
}
function A_(i, t, e) {
  const n = i.length - 1, r = Tt | N | Ct, s = Dt(i[1], r, e), o = Dt(i[i.length - 1], t, e), a = new Array(n - 2);
  for (let l = 0; l < n - 2; l += 2) {
    try {
      const h = Dt(i[l + 2], s.type, e);
      a[l] = h;
    } catch (h) {
      throw new Error(
        `failed to parse argument ${l + 1} of match expression: ${h.message}`
      );
    }
    try {
      const h = Dt(i[l + 3], o.type, e);
      a[l + 1] = h;
    } catch (h) {
      throw new Error(
        `failed to parse argument ${l + 2} of match expression: ${h.message}`
      );
    }
  }
  return [s, ...a, o];
}
function F_(i, t, e) {
  const n = i[1];
  let r;
  switch (n[0]) {
    case "linear":
      r = 1;
      break;
    case "exponential":
      const l = n[1];
      if (typeof l != "number" || l <= 0)
        throw new Error(
          `expected a number base for exponential interpolation, got ${JSON.stringify(l)} instead`
        );
      r = l;
      break;
    default:
      throw new Error(
        `invalid interpolation type: ${JSON.stringify(n)}`
      );
  }
  const s = new St(N, r);
  let o;
  try {
    o = Dt(i[2], N, e);
  } catch (l) {
    throw new Error(
      `failed to parse argument 1 in interpolate expression: ${l.message}`
    );
  }
  const a = new Array(i.length - 3);
  for (let l = 0; l < a.length; l += 2) {
    try {
      const h = Dt(i[l + 3], N, e);
      a[l] = h;
    } catch (h) {
      throw new Error(
        `failed to parse argument ${l + 2} for interpolate expression: ${h.message}`
      );
    }
    try {
      const h = Dt(i[l + 4], t, e);
      a[l + 1] = h;
    } catch (h) {
      throw new Error(
        `failed to parse argument ${l + 3} for interpolate expression: ${h.message}`
      );
    }
  }
  return [s, o, ...a];
}
function I_(i, t, e) {
  const n = Dt(i[i.length - 1], t, e), r = new Array(i.length - 1);
  for (let s = 0; s < r.length - 1; s += 2) {
    try {
      const o = Dt(i[s + 1], Ct, e);
      r[s] = o;
    } catch (o) {
      throw new Error(
        `failed to parse argument ${s} of case expression: ${o.message}`
      );
    }
    try {
      const o = Dt(i[s + 2], n.type, e);
      r[s + 1] = o;
    } catch (o) {
      throw new Error(
        `failed to parse argument ${s + 1} of case expression: ${o.message}`
      );
    }
  }
  return r[r.length - 1] = n, r;
}
function M_(i, t, e) {
  let n = i[2];
  if (!Array.isArray(n))
    throw new Error(
      'the second argument for the "in" operator must be an array'
    );
  let r;
  if (typeof n[0] == "string") {
    if (n[0] !== "literal")
      throw new Error(
        'for the "in" operator, a string array should be wrapped in a "literal" operator to disambiguate from expressions'
      );
    if (!Array.isArray(n[1]))
      throw new Error(
        'failed to parse "in" expression: the literal operator must be followed by an array'
      );
    n = n[1], r = Tt;
  } else
    r = N;
  const s = new Array(n.length);
  for (let o = 0; o < s.length; o++)
    try {
      const a = Dt(n[o], r, e);
      s[o] = a;
    } catch (a) {
      throw new Error(
        `failed to parse haystack item ${o} for "in" expression: ${a.message}`
      );
    }
  return [Dt(i[1], r, e), ...s];
}
function L_(i, t, e) {
  let n;
  try {
    n = Dt(i[1], N, e);
  } catch (o) {
    throw new Error(
      `failed to parse first argument in palette expression: ${o.message}`
    );
  }
  const r = i[2];
  if (!Array.isArray(r))
    throw new Error("the second argument of palette must be an array");
  const s = new Array(r.length);
  for (let o = 0; o < s.length; o++) {
    let a;
    try {
      a = Dt(r[o], ut, e);
    } catch (l) {
      throw new Error(
        `failed to parse color at index ${o} in palette expression: ${l.message}`
      );
    }
    if (!(a instanceof St))
      throw new Error(
        `the palette color at index ${o} must be a literal value`
      );
    s[o] = a;
  }
  return [n, ...s];
}
function W(...i) {
  return function(t, e, n) {
    const r = t[0];
    let s;
    for (let o = 0; o < i.length; o++) {
      const a = i[o](t, e, n);
      if (o == i.length - 1) {
        if (!a)
          throw new Error(
            "expected last argument validator to return the parsed args"
          );
        s = a;
      }
    }
    return new iu(e, r, ...s);
  };
}
function D_(i, t, e) {
  const n = i[0], r = T_[n];
  if (!r)
    throw new Error(`unknown operator: ${n}`);
  return r(i, t, e);
}
function Ka(i) {
  if (!i)
    return "";
  const t = i.getType();
  switch (t) {
    case "Point":
    case "LineString":
    case "Polygon":
      return t;
    case "MultiPoint":
    case "MultiLineString":
    case "MultiPolygon":
      return (
        /** @type {'Point'|'LineString'|'Polygon'} */
        t.substring(5)
      );
    case "Circle":
      return "Polygon";
    case "GeometryCollection":
      return Ka(
        /** @type {import("../geom/GeometryCollection.js").default} */
        i.getGeometries()[0]
      );
    default:
      return "";
  }
}
function ru() {
  return {
    variables: {},
    properties: {},
    resolution: NaN,
    featureId: null,
    geometryType: ""
  };
}
function on(i, t, e) {
  const n = Dt(i, t, e);
  return be(n);
}
function be(i, t) {
  if (i instanceof St) {
    if (i.type === ut && typeof i.value == "string") {
      const n = $a(i.value);
      return function() {
        return n;
      };
    }
    return function() {
      return i.value;
    };
  }
  const e = i.operator;
  switch (e) {
    case S.Number:
    case S.String:
    case S.Coalesce:
      return O_(i);
    case S.Get:
    case S.Var:
    case S.Has:
      return k_(i);
    case S.Id:
      return (n) => n.featureId;
    case S.GeometryType:
      return (n) => n.geometryType;
    case S.Concat: {
      const n = i.args.map((r) => be(r));
      return (r) => "".concat(...n.map((s) => s(r).toString()));
    }
    case S.Resolution:
      return (n) => n.resolution;
    case S.Any:
    case S.All:
    case S.Between:
    case S.In:
    case S.Not:
      return G_(i);
    case S.Equal:
    case S.NotEqual:
    case S.LessThan:
    case S.LessThanOrEqualTo:
    case S.GreaterThan:
    case S.GreaterThanOrEqualTo:
      return N_(i);
    case S.Multiply:
    case S.Divide:
    case S.Add:
    case S.Subtract:
    case S.Clamp:
    case S.Mod:
    case S.Pow:
    case S.Abs:
    case S.Floor:
    case S.Ceil:
    case S.Round:
    case S.Sin:
    case S.Cos:
    case S.Atan:
    case S.Sqrt:
      return B_(i);
    case S.Case:
      return U_(i);
    case S.Match:
      return z_(i);
    case S.Interpolate:
      return $_(i);
    case S.ToString:
      return j_(i);
    default:
      throw new Error(`Unsupported operator ${e}`);
  }
}
function O_(i, t) {
  const e = i.operator, n = i.args.length, r = new Array(n);
  for (let s = 0; s < n; ++s)
    r[s] = be(i.args[s]);
  switch (e) {
    case S.Coalesce:
      return (s) => {
        for (let o = 0; o < n; ++o) {
          const a = r[o](s);
          if (typeof a < "u" && a !== null)
            return a;
        }
        throw new Error("Expected one of the values to be non-null");
      };
    case S.Number:
    case S.String:
      return (s) => {
        for (let o = 0; o < n; ++o) {
          const a = r[o](s);
          if (typeof a === e)
            return a;
        }
        throw new Error(`Expected one of the values to be a ${e}`);
      };
    default:
      throw new Error(`Unsupported assertion operator ${e}`);
  }
}
function k_(i, t) {
  const e = (
    /** @type {string} */
    /** @type {LiteralExpression} */
    i.args[0].value
  );
  switch (i.operator) {
    case S.Get:
      return (n) => {
        const r = i.args;
        let s = n.properties[e];
        for (let o = 1, a = r.length; o < a; ++o) {
          const l = (
            /** @type {string|number} */
            /** @type {LiteralExpression} */
            r[o].value
          );
          s = s[l];
        }
        return s;
      };
    case S.Var:
      return (n) => n.variables[e];
    case S.Has:
      return (n) => {
        const r = i.args;
        if (!(e in n.properties))
          return !1;
        let s = n.properties[e];
        for (let o = 1, a = r.length; o < a; ++o) {
          const l = (
            /** @type {string|number} */
            /** @type {LiteralExpression} */
            r[o].value
          );
          if (!s || !Object.hasOwn(s, l))
            return !1;
          s = s[l];
        }
        return !0;
      };
    default:
      throw new Error(`Unsupported accessor operator ${i.operator}`);
  }
}
function N_(i, t) {
  const e = i.operator, n = be(i.args[0]), r = be(i.args[1]);
  switch (e) {
    case S.Equal:
      return (s) => n(s) === r(s);
    case S.NotEqual:
      return (s) => n(s) !== r(s);
    case S.LessThan:
      return (s) => n(s) < r(s);
    case S.LessThanOrEqualTo:
      return (s) => n(s) <= r(s);
    case S.GreaterThan:
      return (s) => n(s) > r(s);
    case S.GreaterThanOrEqualTo:
      return (s) => n(s) >= r(s);
    default:
      throw new Error(`Unsupported comparison operator ${e}`);
  }
}
function G_(i, t) {
  const e = i.operator, n = i.args.length, r = new Array(n);
  for (let s = 0; s < n; ++s)
    r[s] = be(i.args[s]);
  switch (e) {
    case S.Any:
      return (s) => {
        for (let o = 0; o < n; ++o)
          if (r[o](s))
            return !0;
        return !1;
      };
    case S.All:
      return (s) => {
        for (let o = 0; o < n; ++o)
          if (!r[o](s))
            return !1;
        return !0;
      };
    case S.Between:
      return (s) => {
        const o = r[0](s), a = r[1](s), l = r[2](s);
        return o >= a && o <= l;
      };
    case S.In:
      return (s) => {
        const o = r[0](s);
        for (let a = 1; a < n; ++a)
          if (o === r[a](s))
            return !0;
        return !1;
      };
    case S.Not:
      return (s) => !r[0](s);
    default:
      throw new Error(`Unsupported logical operator ${e}`);
  }
}
function B_(i, t) {
  const e = i.operator, n = i.args.length, r = new Array(n);
  for (let s = 0; s < n; ++s)
    r[s] = be(i.args[s]);
  switch (e) {
    case S.Multiply:
      return (s) => {
        let o = 1;
        for (let a = 0; a < n; ++a)
          o *= r[a](s);
        return o;
      };
    case S.Divide:
      return (s) => r[0](s) / r[1](s);
    case S.Add:
      return (s) => {
        let o = 0;
        for (let a = 0; a < n; ++a)
          o += r[a](s);
        return o;
      };
    case S.Subtract:
      return (s) => r[0](s) - r[1](s);
    case S.Clamp:
      return (s) => {
        const o = r[0](s), a = r[1](s);
        if (o < a)
          return a;
        const l = r[2](s);
        return o > l ? l : o;
      };
    case S.Mod:
      return (s) => r[0](s) % r[1](s);
    case S.Pow:
      return (s) => Math.pow(r[0](s), r[1](s));
    case S.Abs:
      return (s) => Math.abs(r[0](s));
    case S.Floor:
      return (s) => Math.floor(r[0](s));
    case S.Ceil:
      return (s) => Math.ceil(r[0](s));
    case S.Round:
      return (s) => Math.round(r[0](s));
    case S.Sin:
      return (s) => Math.sin(r[0](s));
    case S.Cos:
      return (s) => Math.cos(r[0](s));
    case S.Atan:
      return n === 2 ? (s) => Math.atan2(r[0](s), r[1](s)) : (s) => Math.atan(r[0](s));
    case S.Sqrt:
      return (s) => Math.sqrt(r[0](s));
    default:
      throw new Error(`Unsupported numeric operator ${e}`);
  }
}
function U_(i, t) {
  const e = i.args.length, n = new Array(e);
  for (let r = 0; r < e; ++r)
    n[r] = be(i.args[r]);
  return (r) => {
    for (let s = 0; s < e - 1; s += 2)
      if (n[s](r))
        return n[s + 1](r);
    return n[e - 1](r);
  };
}
function z_(i, t) {
  const e = i.args.length, n = new Array(e);
  for (let r = 0; r < e; ++r)
    n[r] = be(i.args[r]);
  return (r) => {
    const s = n[0](r);
    for (let o = 1; o < e - 1; o += 2)
      if (s === n[o](r))
        return n[o + 1](r);
    return n[e - 1](r);
  };
}
function $_(i, t) {
  const e = i.args.length, n = new Array(e);
  for (let r = 0; r < e; ++r)
    n[r] = be(i.args[r]);
  return (r) => {
    const s = n[0](r), o = n[1](r);
    let a, l;
    for (let h = 2; h < e; h += 2) {
      const c = n[h](r);
      let u = n[h + 1](r);
      const d = Array.isArray(u);
      if (d && (u = _f(u)), c >= o)
        return h === 2 ? u : d ? V_(
          s,
          o,
          a,
          l,
          c,
          u
        ) : qi(
          s,
          o,
          a,
          l,
          c,
          u
        );
      a = c, l = u;
    }
    return l;
  };
}
function j_(i, t) {
  const e = i.operator, n = i.args.length, r = new Array(n);
  for (let s = 0; s < n; ++s)
    r[s] = be(i.args[s]);
  if (e === S.ToString)
    return (s) => {
      const o = r[0](s);
      return i.args[0].type === ut ? ja(o) : o.toString();
    };
  throw new Error(`Unsupported convert operator ${e}`);
}
function qi(i, t, e, n, r, s) {
  const o = r - e;
  if (o === 0)
    return n;
  const a = t - e, l = i === 1 ? a / o : (Math.pow(i, a) - 1) / (Math.pow(i, o) - 1);
  return n + l * (s - n);
}
function V_(i, t, e, n, r, s) {
  if (r - e === 0)
    return n;
  const o = ql(n), a = ql(s);
  let l = a[2] - o[2];
  l > 180 ? l -= 360 : l < -180 && (l += 360);
  const h = [
    qi(i, t, e, o[0], r, a[0]),
    qi(i, t, e, o[1], r, a[1]),
    o[2] + qi(i, t, e, 0, r, l),
    qi(i, t, e, n[3], r, s[3])
  ];
  return pf(h);
}
function W_(i) {
  return !0;
}
function X_(i) {
  const t = Za(), e = Y_(i, t), n = ru();
  return function(r, s) {
    if (n.properties = r.getPropertiesInternal(), n.resolution = s, t.featureId) {
      const o = r.getId();
      o !== void 0 ? n.featureId = o : n.featureId = null;
    }
    return t.geometryType && (n.geometryType = Ka(
      r.getGeometry()
    )), e(n);
  };
}
function vh(i) {
  const t = Za(), e = i.length, n = new Array(e);
  for (let o = 0; o < e; ++o)
    n[o] = oa(i[o], t);
  const r = ru(), s = new Array(e);
  return function(o, a) {
    if (r.properties = o.getPropertiesInternal(), r.resolution = a, t.featureId) {
      const h = o.getId();
      h !== void 0 ? r.featureId = h : r.featureId = null;
    }
    let l = 0;
    for (let h = 0; h < e; ++h) {
      const c = n[h](r);
      c && (s[l] = c, l += 1);
    }
    return s.length = l, s;
  };
}
function Y_(i, t) {
  const e = i.length, n = new Array(e);
  for (let r = 0; r < e; ++r) {
    const s = i[r], o = "filter" in s ? on(s.filter, Ct, t) : W_;
    let a;
    if (Array.isArray(s.style)) {
      const l = s.style.length;
      a = new Array(l);
      for (let h = 0; h < l; ++h)
        a[h] = oa(s.style[h], t);
    } else
      a = [oa(s.style, t)];
    n[r] = { filter: o, styles: a };
  }
  return function(r) {
    const s = [];
    let o = !1;
    for (let a = 0; a < e; ++a) {
      const l = n[a].filter;
      if (l(r) && !(i[a].else && o)) {
        o = !0;
        for (const h of n[a].styles) {
          const c = h(r);
          c && s.push(c);
        }
      }
    }
    return s;
  };
}
function oa(i, t) {
  const e = Sr(i, "", t), n = Cr(i, "", t), r = Z_(i, t), s = K_(i, t), o = te(i, "z-index", t);
  if (!e && !n && !r && !s && !Bn(i))
    throw new Error(
      "No fill, stroke, point, or text symbolizer properties in style: " + JSON.stringify(i)
    );
  const a = new Lt();
  return function(l) {
    let h = !0;
    if (e) {
      const c = e(l);
      c && (h = !1), a.setFill(c);
    }
    if (n) {
      const c = n(l);
      c && (h = !1), a.setStroke(c);
    }
    if (r) {
      const c = r(l);
      c && (h = !1), a.setText(c);
    }
    if (s) {
      const c = s(l);
      c && (h = !1), a.setImage(c);
    }
    return o && a.setZIndex(o(l)), h ? null : a;
  };
}
function Sr(i, t, e) {
  let n;
  if (t + "fill-pattern-src" in i)
    n = Q_(i, t + "fill-", e);
  else {
    if (i[t + "fill-color"] === "none")
      return (s) => null;
    n = Ha(
      i,
      t + "fill-color",
      e
    );
  }
  if (!n)
    return null;
  const r = new ve();
  return function(s) {
    const o = n(s);
    return o === za ? null : (r.setColor(o), r);
  };
}
function Cr(i, t, e) {
  const n = te(
    i,
    t + "stroke-width",
    e
  ), r = Ha(
    i,
    t + "stroke-color",
    e
  );
  if (!n && !r)
    return null;
  const s = Ke(
    i,
    t + "stroke-line-cap",
    e
  ), o = Ke(
    i,
    t + "stroke-line-join",
    e
  ), a = su(
    i,
    t + "stroke-line-dash",
    e
  ), l = te(
    i,
    t + "stroke-line-dash-offset",
    e
  ), h = te(
    i,
    t + "stroke-miter-limit",
    e
  ), c = new Te();
  return function(u) {
    if (r) {
      const d = r(u);
      if (d === za)
        return null;
      c.setColor(d);
    }
    if (n && c.setWidth(n(u)), s) {
      const d = s(u);
      if (d !== "butt" && d !== "round" && d !== "square")
        throw new Error("Expected butt, round, or square line cap");
      c.setLineCap(d);
    }
    if (o) {
      const d = o(u);
      if (d !== "bevel" && d !== "round" && d !== "miter")
        throw new Error("Expected bevel, round, or miter line join");
      c.setLineJoin(d);
    }
    return a && c.setLineDash(a(u)), l && c.setLineDashOffset(l(u)), h && c.setMiterLimit(h(u)), c;
  };
}
function Z_(i, t) {
  const e = "text-", n = Ke(i, e + "value", t);
  if (!n)
    return null;
  const r = Sr(i, e, t), s = Sr(
    i,
    e + "background-",
    t
  ), o = Cr(i, e, t), a = Cr(
    i,
    e + "background-",
    t
  ), l = Ke(i, e + "font", t), h = te(
    i,
    e + "max-angle",
    t
  ), c = te(
    i,
    e + "offset-x",
    t
  ), u = te(
    i,
    e + "offset-y",
    t
  ), d = vi(
    i,
    e + "overflow",
    t
  ), g = Ke(
    i,
    e + "placement",
    t
  ), f = te(i, e + "repeat", t), p = Ys(i, e + "scale", t), _ = vi(
    i,
    e + "rotate-with-view",
    t
  ), y = te(
    i,
    e + "rotation",
    t
  ), x = Ke(i, e + "align", t), E = Ke(
    i,
    e + "justify",
    t
  ), v = Ke(
    i,
    e + "baseline",
    t
  ), m = vi(
    i,
    e + "keep-upright",
    t
  ), C = su(
    i,
    e + "padding",
    t
  ), T = Zs(
    i,
    e + "declutter-mode"
  ), w = new Wa({ declutterMode: T });
  return function(b) {
    if (w.setText(n(b)), r && w.setFill(r(b)), s && w.setBackgroundFill(s(b)), o && w.setStroke(o(b)), a && w.setBackgroundStroke(a(b)), l && w.setFont(l(b)), h && w.setMaxAngle(h(b)), c && w.setOffsetX(c(b)), u && w.setOffsetY(u(b)), d && w.setOverflow(d(b)), g) {
      const L = g(b);
      if (L !== "point" && L !== "line")
        throw new Error("Expected point or line for text-placement");
      w.setPlacement(L);
    }
    if (f && w.setRepeat(f(b)), p && w.setScale(p(b)), _ && w.setRotateWithView(_(b)), y && w.setRotation(y(b)), x) {
      const L = x(b);
      if (L !== "left" && L !== "center" && L !== "right" && L !== "end" && L !== "start")
        throw new Error(
          "Expected left, right, center, start, or end for text-align"
        );
      w.setTextAlign(L);
    }
    if (E) {
      const L = E(b);
      if (L !== "left" && L !== "right" && L !== "center")
        throw new Error("Expected left, right, or center for text-justify");
      w.setJustify(L);
    }
    if (v) {
      const L = v(b);
      if (L !== "bottom" && L !== "top" && L !== "middle" && L !== "alphabetic" && L !== "hanging")
        throw new Error(
          "Expected bottom, top, middle, alphabetic, or hanging for text-baseline"
        );
      w.setTextBaseline(L);
    }
    return C && w.setPadding(C(b)), m && w.setKeepUpright(m(b)), w;
  };
}
function K_(i, t) {
  return "icon-src" in i ? H_(i, t) : "shape-points" in i ? q_(i, t) : "circle-radius" in i ? J_(i, t) : null;
}
function H_(i, t) {
  const e = "icon-", n = e + "src", r = ou(i[n], n), s = Cs(
    i,
    e + "anchor",
    t
  ), o = Ys(i, e + "scale", t), a = te(
    i,
    e + "opacity",
    t
  ), l = Cs(
    i,
    e + "displacement",
    t
  ), h = te(
    i,
    e + "rotation",
    t
  ), c = vi(
    i,
    e + "rotate-with-view",
    t
  ), u = Sh(i, e + "anchor-origin"), d = Ch(
    i,
    e + "anchor-x-units"
  ), g = Ch(
    i,
    e + "anchor-y-units"
  ), f = ip(i, e + "color"), p = ep(i, e + "cross-origin"), _ = np(i, e + "offset"), y = Sh(i, e + "offset-origin"), x = Ts(i, e + "width"), E = Ts(i, e + "height"), v = tp(i, e + "size"), m = Zs(
    i,
    e + "declutter-mode"
  ), C = new Xs({
    src: r,
    anchorOrigin: u,
    anchorXUnits: d,
    anchorYUnits: g,
    color: f,
    crossOrigin: p,
    offset: _,
    offsetOrigin: y,
    height: E,
    width: x,
    size: v,
    declutterMode: m
  });
  return function(T) {
    return a && C.setOpacity(a(T)), l && C.setDisplacement(l(T)), h && C.setRotation(h(T)), c && C.setRotateWithView(c(T)), o && C.setScale(o(T)), s && C.setAnchor(s(T)), C;
  };
}
function q_(i, t) {
  const e = "shape-", n = e + "points", r = e + "radius", s = aa(i[n], n), o = aa(i[r], r), a = Sr(i, e, t), l = Cr(i, e, t), h = Ys(i, e + "scale", t), c = Cs(
    i,
    e + "displacement",
    t
  ), u = te(
    i,
    e + "rotation",
    t
  ), d = vi(
    i,
    e + "rotate-with-view",
    t
  ), g = Ts(i, e + "radius2"), f = Ts(i, e + "angle"), p = Zs(
    i,
    e + "declutter-mode"
  ), _ = new Ws({
    points: s,
    radius: o,
    radius2: g,
    angle: f,
    declutterMode: p
  });
  return function(y) {
    return a && _.setFill(a(y)), l && _.setStroke(l(y)), c && _.setDisplacement(c(y)), u && _.setRotation(u(y)), d && _.setRotateWithView(d(y)), h && _.setScale(h(y)), _;
  };
}
function J_(i, t) {
  const e = "circle-", n = Sr(i, e, t), r = Cr(i, e, t), s = te(i, e + "radius", t), o = Ys(i, e + "scale", t), a = Cs(
    i,
    e + "displacement",
    t
  ), l = te(
    i,
    e + "rotation",
    t
  ), h = vi(
    i,
    e + "rotate-with-view",
    t
  ), c = Zs(
    i,
    e + "declutter-mode"
  ), u = new Cn({
    radius: 5,
    // this is arbitrary, but required - the evaluated radius is used below
    declutterMode: c
  });
  return function(d) {
    return s && u.setRadius(s(d)), n && u.setFill(n(d)), r && u.setStroke(r(d)), a && u.setDisplacement(a(d)), l && u.setRotation(l(d)), h && u.setRotateWithView(h(d)), o && u.setScale(o(d)), u;
  };
}
function te(i, t, e) {
  if (!(t in i))
    return;
  const n = on(i[t], N, e);
  return function(r) {
    return aa(n(r), t);
  };
}
function Ke(i, t, e) {
  if (!(t in i))
    return null;
  const n = on(i[t], Tt, e);
  return function(r) {
    return ou(n(r), t);
  };
}
function Q_(i, t, e) {
  const n = Ke(
    i,
    t + "pattern-src",
    e
  ), r = Eh(
    i,
    t + "pattern-offset",
    e
  ), s = Eh(
    i,
    t + "pattern-size",
    e
  ), o = Ha(
    i,
    t + "color",
    e
  );
  return function(a) {
    return {
      src: n(a),
      offset: r && r(a),
      size: s && s(a),
      color: o && o(a)
    };
  };
}
function vi(i, t, e) {
  if (!(t in i))
    return null;
  const n = on(i[t], Ct, e);
  return function(r) {
    const s = n(r);
    if (typeof s != "boolean")
      throw new Error(`Expected a boolean for ${t}`);
    return s;
  };
}
function Ha(i, t, e) {
  if (!(t in i))
    return null;
  const n = on(i[t], ut, e);
  return function(r) {
    return au(n(r), t);
  };
}
function su(i, t, e) {
  if (!(t in i))
    return null;
  const n = on(i[t], re, e);
  return function(r) {
    return Nr(n(r), t);
  };
}
function Cs(i, t, e) {
  if (!(t in i))
    return null;
  const n = on(i[t], re, e);
  return function(r) {
    const s = Nr(n(r), t);
    if (s.length !== 2)
      throw new Error(`Expected two numbers for ${t}`);
    return s;
  };
}
function Eh(i, t, e) {
  if (!(t in i))
    return null;
  const n = on(i[t], re, e);
  return function(r) {
    return lu(n(r), t);
  };
}
function Ys(i, t, e) {
  if (!(t in i))
    return null;
  const n = on(
    i[t],
    re | N,
    e
  );
  return function(r) {
    return rp(n(r), t);
  };
}
function Ts(i, t) {
  const e = i[t];
  if (e !== void 0) {
    if (typeof e != "number")
      throw new Error(`Expected a number for ${t}`);
    return e;
  }
}
function tp(i, t) {
  const e = i[t];
  if (e !== void 0) {
    if (typeof e == "number")
      return Kt(e);
    if (!Array.isArray(e))
      throw new Error(`Expected a number or size array for ${t}`);
    if (e.length !== 2 || typeof e[0] != "number" || typeof e[1] != "number")
      throw new Error(`Expected a number or size array for ${t}`);
    return e;
  }
}
function ep(i, t) {
  const e = i[t];
  if (e !== void 0) {
    if (typeof e != "string")
      throw new Error(`Expected a string for ${t}`);
    return e;
  }
}
function Sh(i, t) {
  const e = i[t];
  if (e !== void 0) {
    if (e !== "bottom-left" && e !== "bottom-right" && e !== "top-left" && e !== "top-right")
      throw new Error(
        `Expected bottom-left, bottom-right, top-left, or top-right for ${t}`
      );
    return e;
  }
}
function Ch(i, t) {
  const e = i[t];
  if (e !== void 0) {
    if (e !== "pixels" && e !== "fraction")
      throw new Error(`Expected pixels or fraction for ${t}`);
    return e;
  }
}
function np(i, t) {
  const e = i[t];
  if (e !== void 0)
    return Nr(e, t);
}
function Zs(i, t) {
  const e = i[t];
  if (e !== void 0) {
    if (typeof e != "string")
      throw new Error(`Expected a string for ${t}`);
    if (e !== "declutter" && e !== "obstacle" && e !== "none")
      throw new Error(`Expected declutter, obstacle, or none for ${t}`);
    return e;
  }
}
function ip(i, t) {
  const e = i[t];
  if (e !== void 0)
    return au(e, t);
}
function Nr(i, t) {
  if (!Array.isArray(i))
    throw new Error(`Expected an array for ${t}`);
  const e = i.length;
  for (let n = 0; n < e; ++n)
    if (typeof i[n] != "number")
      throw new Error(`Expected an array of numbers for ${t}`);
  return i;
}
function ou(i, t) {
  if (typeof i != "string")
    throw new Error(`Expected a string for ${t}`);
  return i;
}
function aa(i, t) {
  if (typeof i != "number")
    throw new Error(`Expected a number for ${t}`);
  return i;
}
function au(i, t) {
  if (typeof i == "string")
    return i;
  const e = Nr(i, t), n = e.length;
  if (n < 3 || n > 4)
    throw new Error(`Expected a color with 3 or 4 values for ${t}`);
  return e;
}
function lu(i, t) {
  const e = Nr(i, t);
  if (e.length !== 2)
    throw new Error(`Expected an array of two numbers for ${t}`);
  return e;
}
function rp(i, t) {
  return typeof i == "number" ? i : lu(i, t);
}
const Ee = {
  CENTER: "center",
  RESOLUTION: "resolution",
  ROTATION: "rotation"
};
function Th(i, t, e) {
  return (
    /**
     * @param {import("./coordinate.js").Coordinate|undefined} center Center.
     * @param {number|undefined} resolution Resolution.
     * @param {import("./size.js").Size} size Viewport size; unused if `onlyCenter` was specified.
     * @param {boolean} [isMoving] True if an interaction or animation is in progress.
     * @param {Array<number>} [centerShift] Shift between map center and viewport center.
     * @return {import("./coordinate.js").Coordinate|undefined} Center.
     */
    (function(n, r, s, o, a) {
      if (!n)
        return;
      if (!r && !t)
        return n;
      const l = t ? 0 : s[0] * r, h = t ? 0 : s[1] * r, c = a ? a[0] : 0, u = a ? a[1] : 0;
      let d = i[0] + l / 2 + c, g = i[2] - l / 2 + c, f = i[1] + h / 2 + u, p = i[3] - h / 2 + u;
      d > g && (d = (g + d) / 2, g = d), f > p && (f = (p + f) / 2, p = f);
      let _ = dt(n[0], d, g), y = dt(n[1], f, p);
      if (o && e && r) {
        const x = 30 * r;
        _ += -x * Math.log(1 + Math.max(0, d - n[0]) / x) + x * Math.log(1 + Math.max(0, n[0] - g) / x), y += -x * Math.log(1 + Math.max(0, f - n[1]) / x) + x * Math.log(1 + Math.max(0, n[1] - p) / x);
      }
      return [_, y];
    })
  );
}
function sp(i) {
  return i;
}
function hu(i) {
  return Math.pow(i, 3);
}
function pe(i) {
  return 1 - hu(1 - i);
}
function op(i) {
  return 3 * i * i - 2 * i * i * i;
}
function ap(i) {
  return i;
}
function qa(i, t, e, n) {
  const r = at(t) / e[0], s = Zt(t) / e[1];
  return n ? Math.min(i, Math.max(r, s)) : Math.min(i, Math.min(r, s));
}
function Ja(i, t, e) {
  let n = Math.min(i, t);
  const r = 50;
  return n *= Math.log(1 + r * Math.max(0, i / t - 1)) / r + 1, e && (n = Math.max(n, e), n /= Math.log(1 + r * Math.max(0, e / i - 1)) / r + 1), dt(n, e / 2, t * 2);
}
function lp(i, t, e, n) {
  return t = t !== void 0 ? t : !0, /**
  * @param {number|undefined} resolution Resolution.
  * @param {number} direction Direction.
  * @param {import("./size.js").Size} size Viewport size.
  * @param {boolean} [isMoving] True if an interaction or animation is in progress.
  * @return {number|undefined} Resolution.
  */
  (function(r, s, o, a) {
    if (r !== void 0) {
      const l = i[0], h = i[i.length - 1], c = e ? qa(
        l,
        e,
        o,
        n
      ) : l;
      if (a)
        return t ? Ja(
          r,
          c,
          h
        ) : dt(r, h, c);
      const u = Math.min(c, r), d = Math.floor(Fa(i, u, s));
      return i[d] > c && d < i.length - 1 ? i[d + 1] : i[d];
    }
  });
}
function hp(i, t, e, n, r, s) {
  return n = n !== void 0 ? n : !0, e = e !== void 0 ? e : 0, /**
  * @param {number|undefined} resolution Resolution.
  * @param {number} direction Direction.
  * @param {import("./size.js").Size} size Viewport size.
  * @param {boolean} [isMoving] True if an interaction or animation is in progress.
  * @return {number|undefined} Resolution.
  */
  (function(o, a, l, h) {
    if (o !== void 0) {
      const c = r ? qa(
        t,
        r,
        l,
        s
      ) : t;
      if (h)
        return n ? Ja(
          o,
          c,
          e
        ) : dt(o, e, c);
      const u = 1e-9, d = Math.ceil(
        Math.log(t / c) / Math.log(i) - u
      ), g = -a * (0.5 - u) + 0.5, f = Math.min(c, o), p = Math.floor(
        Math.log(t / f) / Math.log(i) + g
      ), _ = Math.max(d, p), y = t / Math.pow(i, _);
      return dt(y, e, c);
    }
  });
}
function wh(i, t, e, n, r) {
  return e = e !== void 0 ? e : !0, /**
  * @param {number|undefined} resolution Resolution.
  * @param {number} direction Direction.
  * @param {import("./size.js").Size} size Viewport size.
  * @param {boolean} [isMoving] True if an interaction or animation is in progress.
  * @return {number|undefined} Resolution.
  */
  (function(s, o, a, l) {
    if (s !== void 0) {
      const h = n ? qa(
        i,
        n,
        a,
        r
      ) : i;
      return !e || !l ? dt(s, t, h) : Ja(
        s,
        h,
        t
      );
    }
  });
}
function Qa(i) {
  if (i !== void 0)
    return 0;
}
function Rh(i) {
  if (i !== void 0)
    return i;
}
function cp(i) {
  const t = 2 * Math.PI / i;
  return (
    /**
     * @param {number|undefined} rotation Rotation.
     * @param {boolean} [isMoving] True if an interaction or animation is in progress.
     * @return {number|undefined} Rotation.
     */
    (function(e, n) {
      if (n)
        return e;
      if (e !== void 0)
        return e = Math.floor(e / t + 0.5) * t, e;
    })
  );
}
function up(i) {
  const t = vn(5);
  return (
    /**
     * @param {number|undefined} rotation Rotation.
     * @param {boolean} [isMoving] True if an interaction or animation is in progress.
     * @return {number|undefined} Rotation.
     */
    (function(e, n) {
      return n || e === void 0 ? e : Math.abs(e) <= t ? 0 : e;
    })
  );
}
const dp = 42, tl = 256, So = 0;
class Oe extends $e {
  /**
   * @param {ViewOptions} [options] View options.
   */
  constructor(t) {
    super(), this.on, this.once, this.un, t = Object.assign({}, t), this.hints_ = [0, 0], this.animations_ = [], this.updateAnimationKey_, this.projection_ = ba(t.projection, "EPSG:3857"), this.viewportSize_ = [100, 100], this.targetCenter_ = null, this.targetResolution_, this.targetRotation_, this.nextCenter_ = null, this.nextResolution_, this.nextRotation_, this.cancelAnchor_ = void 0, t.projection && yc(), t.center && (t.center = gt(t.center, this.projection_)), t.extent && (t.extent = Qe(t.extent, this.projection_)), this.applyOptions_(t);
  }
  /**
   * Set up the view with the given options.
   * @param {ViewOptions} options View options.
   */
  applyOptions_(t) {
    const e = Object.assign({}, t);
    for (const a in Ee)
      delete e[a];
    this.setProperties(e, !0);
    const n = fp(t);
    this.maxResolution_ = n.maxResolution, this.minResolution_ = n.minResolution, this.zoomFactor_ = n.zoomFactor, this.resolutions_ = t.resolutions, this.padding_ = t.padding, this.minZoom_ = n.minZoom;
    const r = gp(t), s = n.constraint, o = _p(t);
    this.constraints_ = {
      center: r,
      resolution: s,
      rotation: o
    }, this.setRotation(t.rotation !== void 0 ? t.rotation : 0), this.setCenterInternal(
      t.center !== void 0 ? t.center : null
    ), t.resolution !== void 0 ? this.setResolution(t.resolution) : t.zoom !== void 0 && this.setZoom(t.zoom);
  }
  /**
   * Padding (in css pixels).
   * If the map viewport is partially covered with other content (overlays) along
   * its edges, this setting allows to shift the center of the viewport away from that
   * content. The order of the values in the array is top, right, bottom, left.
   * The default is no padding, which is equivalent to `[0, 0, 0, 0]`.
   * @type {Array<number>|undefined}
   * @api
   */
  get padding() {
    return this.padding_;
  }
  set padding(t) {
    let e = this.padding_;
    this.padding_ = t;
    const n = this.getCenterInternal();
    if (n) {
      const r = t || [0, 0, 0, 0];
      e = e || [0, 0, 0, 0];
      const s = this.getResolution(), o = s / 2 * (r[3] - e[3] + e[1] - r[1]), a = s / 2 * (r[0] - e[0] + e[2] - r[2]);
      this.setCenterInternal([n[0] + o, n[1] - a]);
    }
  }
  /**
   * Get an updated version of the view options used to construct the view.  The
   * current resolution (or zoom), center, and rotation are applied to any stored
   * options.  The provided options can be used to apply new min/max zoom or
   * resolution limits.
   * @param {ViewOptions} newOptions New options to be applied.
   * @return {ViewOptions} New options updated with the current view state.
   */
  getUpdatedOptions_(t) {
    const e = this.getProperties();
    return e.resolution !== void 0 ? e.resolution = this.getResolution() : e.zoom = this.getZoom(), e.center = this.getCenterInternal(), e.rotation = this.getRotation(), Object.assign({}, e, t);
  }
  /**
   * Animate the view.  The view's center, zoom (or resolution), and rotation
   * can be animated for smooth transitions between view states.  For example,
   * to animate the view to a new zoom level:
   *
   *     view.animate({zoom: view.getZoom() + 1});
   *
   * By default, the animation lasts one second and uses in-and-out easing.  You
   * can customize this behavior by including `duration` (in milliseconds) and
   * `easing` options (see {@link module:ol/easing}).
   *
   * To chain together multiple animations, call the method with multiple
   * animation objects.  For example, to first zoom and then pan:
   *
   *     view.animate({zoom: 10}, {center: [0, 0]});
   *
   * If you provide a function as the last argument to the animate method, it
   * will get called at the end of an animation series.  The callback will be
   * called with `true` if the animation series completed on its own or `false`
   * if it was cancelled.
   *
   * Animations are cancelled by user interactions (e.g. dragging the map) or by
   * calling `view.setCenter()`, `view.setResolution()`, or `view.setRotation()`
   * (or another method that calls one of these).
   *
   * @param {...(AnimationOptions|function(boolean): void)} var_args Animation
   *     options.  Multiple animations can be run in series by passing multiple
   *     options objects.  To run multiple animations in parallel, call the method
   *     multiple times.  An optional callback can be provided as a final
   *     argument.  The callback will be called with a boolean indicating whether
   *     the animation completed without being cancelled.
   * @api
   */
  animate(t) {
    this.isDef() && !this.getAnimating() && this.resolveConstraints(0);
    const e = new Array(arguments.length);
    for (let n = 0; n < e.length; ++n) {
      let r = arguments[n];
      r.center && (r = Object.assign({}, r), r.center = gt(
        r.center,
        this.getProjection()
      )), r.anchor && (r = Object.assign({}, r), r.anchor = gt(
        r.anchor,
        this.getProjection()
      )), e[n] = r;
    }
    this.animateInternal.apply(this, e);
  }
  /**
   * @param {...(AnimationOptions|function(boolean): void)} var_args Animation options.
   */
  animateInternal(t) {
    let e = arguments.length, n;
    e > 1 && typeof arguments[e - 1] == "function" && (n = arguments[e - 1], --e);
    let r = 0;
    for (; r < e && !this.isDef(); ++r) {
      const c = arguments[r];
      c.center && this.setCenterInternal(c.center), c.zoom !== void 0 ? this.setZoom(c.zoom) : c.resolution && this.setResolution(c.resolution), c.rotation !== void 0 && this.setRotation(c.rotation);
    }
    if (r === e) {
      n && es(n, !0);
      return;
    }
    let s = Date.now(), o = this.targetCenter_.slice(), a = this.targetResolution_, l = this.targetRotation_;
    const h = [];
    for (; r < e; ++r) {
      const c = (
        /** @type {AnimationOptions} */
        arguments[r]
      ), u = {
        start: s,
        complete: !1,
        anchor: c.anchor,
        duration: c.duration !== void 0 ? c.duration : 1e3,
        easing: c.easing || op,
        callback: n
      };
      if (c.center && (u.sourceCenter = o, u.targetCenter = c.center.slice(), o = u.targetCenter), c.zoom !== void 0 ? (u.sourceResolution = a, u.targetResolution = this.getResolutionForZoom(c.zoom), a = u.targetResolution) : c.resolution && (u.sourceResolution = a, u.targetResolution = c.resolution, a = u.targetResolution), c.rotation !== void 0) {
        u.sourceRotation = l;
        const d = Nn(c.rotation - l + Math.PI, 2 * Math.PI) - Math.PI;
        u.targetRotation = l + d, l = u.targetRotation;
      }
      pp(u) ? u.complete = !0 : s += u.duration, h.push(u);
    }
    this.animations_.push(h), this.setHint(It.ANIMATING, 1), this.updateAnimations_();
  }
  /**
   * Determine if the view is being animated.
   * @return {boolean} The view is being animated.
   * @api
   */
  getAnimating() {
    return this.hints_[It.ANIMATING] > 0;
  }
  /**
   * Determine if the user is interacting with the view, such as panning or zooming.
   * @return {boolean} The view is being interacted with.
   * @api
   */
  getInteracting() {
    return this.hints_[It.INTERACTING] > 0;
  }
  /**
   * Cancel any ongoing animations.
   * @api
   */
  cancelAnimations() {
    this.setHint(It.ANIMATING, -this.hints_[It.ANIMATING]);
    let t;
    for (let e = 0, n = this.animations_.length; e < n; ++e) {
      const r = this.animations_[e];
      if (r[0].callback && es(r[0].callback, !1), !t)
        for (let s = 0, o = r.length; s < o; ++s) {
          const a = r[s];
          if (!a.complete) {
            t = a.anchor;
            break;
          }
        }
    }
    this.animations_.length = 0, this.cancelAnchor_ = t, this.nextCenter_ = null, this.nextResolution_ = NaN, this.nextRotation_ = NaN;
  }
  /**
   * Update all animations.
   */
  updateAnimations_() {
    if (this.updateAnimationKey_ !== void 0 && (cancelAnimationFrame(this.updateAnimationKey_), this.updateAnimationKey_ = void 0), !this.getAnimating())
      return;
    const t = Date.now();
    let e = !1;
    for (let n = this.animations_.length - 1; n >= 0; --n) {
      const r = this.animations_[n];
      let s = !0;
      for (let o = 0, a = r.length; o < a; ++o) {
        const l = r[o];
        if (l.complete)
          continue;
        const h = t - l.start;
        let c = l.duration > 0 ? h / l.duration : 1;
        c >= 1 ? (l.complete = !0, c = 1) : s = !1;
        const u = l.easing(c);
        if (l.sourceCenter) {
          const d = l.sourceCenter[0], g = l.sourceCenter[1], f = l.targetCenter[0], p = l.targetCenter[1];
          this.nextCenter_ = l.targetCenter;
          const _ = d + u * (f - d), y = g + u * (p - g);
          this.targetCenter_ = [_, y];
        }
        if (l.sourceResolution && l.targetResolution) {
          const d = u === 1 ? l.targetResolution : l.sourceResolution + u * (l.targetResolution - l.sourceResolution);
          if (l.anchor) {
            const g = this.getViewportSize_(this.getRotation()), f = this.constraints_.resolution(
              d,
              0,
              g,
              !0
            );
            this.targetCenter_ = this.calculateCenterZoom(
              f,
              l.anchor
            );
          }
          this.nextResolution_ = l.targetResolution, this.targetResolution_ = d, this.applyTargetState_(!0);
        }
        if (l.sourceRotation !== void 0 && l.targetRotation !== void 0) {
          const d = u === 1 ? Nn(l.targetRotation + Math.PI, 2 * Math.PI) - Math.PI : l.sourceRotation + u * (l.targetRotation - l.sourceRotation);
          if (l.anchor) {
            const g = this.constraints_.rotation(
              d,
              !0
            );
            this.targetCenter_ = this.calculateCenterRotate(
              g,
              l.anchor
            );
          }
          this.nextRotation_ = l.targetRotation, this.targetRotation_ = d;
        }
        if (this.applyTargetState_(!0), e = !0, !l.complete)
          break;
      }
      if (s) {
        this.animations_[n] = null, this.setHint(It.ANIMATING, -1), this.nextCenter_ = null, this.nextResolution_ = NaN, this.nextRotation_ = NaN;
        const o = r[0].callback;
        o && es(o, !0);
      }
    }
    this.animations_ = this.animations_.filter(Boolean), e && this.updateAnimationKey_ === void 0 && (this.updateAnimationKey_ = requestAnimationFrame(
      this.updateAnimations_.bind(this)
    ));
  }
  /**
   * @param {number} rotation Target rotation.
   * @param {import("./coordinate.js").Coordinate} anchor Rotation anchor.
   * @return {import("./coordinate.js").Coordinate|undefined} Center for rotation and anchor.
   */
  calculateCenterRotate(t, e) {
    let n;
    const r = this.getCenterInternal();
    return r !== void 0 && (n = [r[0] - e[0], r[1] - e[1]], Sa(n, t - this.getRotation()), vd(n, e)), n;
  }
  /**
   * @param {number} resolution Target resolution.
   * @param {import("./coordinate.js").Coordinate} anchor Zoom anchor.
   * @return {import("./coordinate.js").Coordinate|undefined} Center for resolution and anchor.
   */
  calculateCenterZoom(t, e) {
    let n;
    const r = this.getCenterInternal(), s = this.getResolution();
    if (r !== void 0 && s !== void 0) {
      const o = e[0] - t * (e[0] - r[0]) / s, a = e[1] - t * (e[1] - r[1]) / s;
      n = [o, a];
    }
    return n;
  }
  /**
   * Returns the current viewport size.
   * @private
   * @param {number} [rotation] Take into account the rotation of the viewport when giving the size
   * @return {import("./size.js").Size} Viewport size or `[100, 100]` when no viewport is found.
   */
  getViewportSize_(t) {
    const e = this.viewportSize_;
    if (t) {
      const n = e[0], r = e[1];
      return [
        Math.abs(n * Math.cos(t)) + Math.abs(r * Math.sin(t)),
        Math.abs(n * Math.sin(t)) + Math.abs(r * Math.cos(t))
      ];
    }
    return e;
  }
  /**
   * Stores the viewport size on the view. The viewport size is not read every time from the DOM
   * to avoid performance hit and layout reflow.
   * This should be done on map size change.
   * Note: the constraints are not resolved during an animation to avoid stopping it
   * @param {import("./size.js").Size} [size] Viewport size; if undefined, [100, 100] is assumed
   */
  setViewportSize(t) {
    this.viewportSize_ = Array.isArray(t) ? t.slice() : [100, 100], this.getAnimating() || this.resolveConstraints(0);
  }
  /**
   * Get the view center.
   * @return {import("./coordinate.js").Coordinate|undefined} The center of the view.
   * @observable
   * @api
   */
  getCenter() {
    const t = this.getCenterInternal();
    return t && Un(t, this.getProjection());
  }
  /**
   * Get the view center without transforming to user projection.
   * @return {import("./coordinate.js").Coordinate|undefined} The center of the view.
   */
  getCenterInternal() {
    return (
      /** @type {import("./coordinate.js").Coordinate|undefined} */
      this.get(Ee.CENTER)
    );
  }
  /**
   * @return {Constraints} Constraints.
   */
  getConstraints() {
    return this.constraints_;
  }
  /**
   * @return {boolean} Resolution constraint is set
   */
  getConstrainResolution() {
    return this.get("constrainResolution");
  }
  /**
   * @param {Array<number>} [hints] Destination array.
   * @return {Array<number>} Hint.
   */
  getHints(t) {
    return t !== void 0 ? (t[0] = this.hints_[0], t[1] = this.hints_[1], t) : this.hints_.slice();
  }
  /**
   * Calculate the extent for the current view state and the passed box size.
   * @param {import("./size.js").Size} [size] The pixel dimensions of the box
   * into which the calculated extent should fit. Defaults to the size of the
   * map the view is associated with.
   * If no map or multiple maps are connected to the view, provide the desired
   * box size (e.g. `map.getSize()`).
   * @return {import("./extent.js").Extent} Extent.
   * @api
   */
  calculateExtent(t) {
    const e = this.calculateExtentInternal(t);
    return Aa(e, this.getProjection());
  }
  /**
   * @param {import("./size.js").Size} [size] Box pixel size. If not provided,
   * the map's last known viewport size will be used.
   * @return {import("./extent.js").Extent} Extent.
   */
  calculateExtentInternal(t) {
    t = t || this.getViewportSizeMinusPadding_();
    const e = (
      /** @type {!import("./coordinate.js").Coordinate} */
      this.getCenterInternal()
    );
    nt(e, "The view center is not defined");
    const n = (
      /** @type {!number} */
      this.getResolution()
    );
    nt(n !== void 0, "The view resolution is not defined");
    const r = (
      /** @type {!number} */
      this.getRotation()
    );
    return nt(r !== void 0, "The view rotation is not defined"), Wo(e, n, r, t);
  }
  /**
   * Get the maximum resolution of the view.
   * @return {number} The maximum resolution of the view.
   * @api
   */
  getMaxResolution() {
    return this.maxResolution_;
  }
  /**
   * Get the minimum resolution of the view.
   * @return {number} The minimum resolution of the view.
   * @api
   */
  getMinResolution() {
    return this.minResolution_;
  }
  /**
   * Get the maximum zoom level for the view.
   * @return {number} The maximum zoom level.
   * @api
   */
  getMaxZoom() {
    return (
      /** @type {number} */
      this.getZoomForResolution(this.minResolution_)
    );
  }
  /**
   * Set a new maximum zoom level for the view.
   * @param {number} zoom The maximum zoom level.
   * @api
   */
  setMaxZoom(t) {
    this.applyOptions_(this.getUpdatedOptions_({ maxZoom: t }));
  }
  /**
   * Get the minimum zoom level for the view.
   * @return {number} The minimum zoom level.
   * @api
   */
  getMinZoom() {
    return (
      /** @type {number} */
      this.getZoomForResolution(this.maxResolution_)
    );
  }
  /**
   * Set a new minimum zoom level for the view.
   * @param {number} zoom The minimum zoom level.
   * @api
   */
  setMinZoom(t) {
    this.applyOptions_(this.getUpdatedOptions_({ minZoom: t }));
  }
  /**
   * Set whether the view should allow intermediary zoom levels.
   * @param {boolean} enabled Whether the resolution is constrained.
   * @api
   */
  setConstrainResolution(t) {
    this.applyOptions_(this.getUpdatedOptions_({ constrainResolution: t }));
  }
  /**
   * Get the view projection.
   * @return {import("./proj/Projection.js").default} The projection of the view.
   * @api
   */
  getProjection() {
    return this.projection_;
  }
  /**
   * Get the view resolution.
   * @return {number|undefined} The resolution of the view.
   * @observable
   * @api
   */
  getResolution() {
    return (
      /** @type {number|undefined} */
      this.get(Ee.RESOLUTION)
    );
  }
  /**
   * Get the resolutions for the view. This returns the array of resolutions
   * passed to the constructor of the View, or undefined if none were given.
   * @return {Array<number>|undefined} The resolutions of the view.
   * @api
   */
  getResolutions() {
    return this.resolutions_;
  }
  /**
   * Get the resolution for a provided extent (in map units) and size (in pixels).
   * @param {import("./extent.js").Extent} extent Extent.
   * @param {import("./size.js").Size} [size] Box pixel size.
   * @return {number} The resolution at which the provided extent will render at
   *     the given size.
   * @api
   */
  getResolutionForExtent(t, e) {
    return this.getResolutionForExtentInternal(
      Qe(t, this.getProjection()),
      e
    );
  }
  /**
   * Get the resolution for a provided extent (in map units) and size (in pixels).
   * @param {import("./extent.js").Extent} extent Extent.
   * @param {import("./size.js").Size} [size] Box pixel size.
   * @return {number} The resolution at which the provided extent will render at
   *     the given size.
   */
  getResolutionForExtentInternal(t, e) {
    e = e || this.getViewportSizeMinusPadding_();
    const n = at(t) / e[0], r = Zt(t) / e[1];
    return Math.max(n, r);
  }
  /**
   * Return a function that returns a value between 0 and 1 for a
   * resolution. Exponential scaling is assumed.
   * @param {number} [power] Power.
   * @return {function(number): number} Resolution for value function.
   */
  getResolutionForValueFunction(t) {
    t = t || 2;
    const e = this.getConstrainedResolution(this.maxResolution_), n = this.minResolution_, r = Math.log(e / n) / Math.log(t);
    return (
      /**
       * @param {number} value Value.
       * @return {number} Resolution.
       */
      (function(s) {
        return e / Math.pow(t, s * r);
      })
    );
  }
  /**
   * Get the view rotation.
   * @return {number} The rotation of the view in radians.
   * @observable
   * @api
   */
  getRotation() {
    return (
      /** @type {number} */
      this.get(Ee.ROTATION)
    );
  }
  /**
   * Return a function that returns a resolution for a value between
   * 0 and 1. Exponential scaling is assumed.
   * @param {number} [power] Power.
   * @return {function(number): number} Value for resolution function.
   */
  getValueForResolutionFunction(t) {
    const e = Math.log(t || 2), n = this.getConstrainedResolution(this.maxResolution_), r = this.minResolution_, s = Math.log(n / r) / e;
    return (
      /**
       * @param {number} resolution Resolution.
       * @return {number} Value.
       */
      (function(o) {
        return Math.log(n / o) / e / s;
      })
    );
  }
  /**
   * Returns the size of the viewport minus padding.
   * @private
   * @param {number} [rotation] Take into account the rotation of the viewport when giving the size
   * @return {import("./size.js").Size} Viewport size reduced by the padding.
   */
  getViewportSizeMinusPadding_(t) {
    let e = this.getViewportSize_(t);
    const n = this.padding_;
    return n && (e = [
      e[0] - n[1] - n[3],
      e[1] - n[0] - n[2]
    ]), e;
  }
  /**
   * @return {State} View state.
   */
  getState() {
    const t = this.getProjection(), e = this.getResolution(), n = this.getRotation();
    let r = (
      /** @type {import("./coordinate.js").Coordinate} */
      this.getCenterInternal()
    );
    const s = this.padding_;
    if (s) {
      const o = this.getViewportSizeMinusPadding_();
      r = Co(
        r,
        this.getViewportSize_(),
        [o[0] / 2 + s[3], o[1] / 2 + s[0]],
        e,
        n
      );
    }
    return {
      center: r.slice(0),
      projection: t !== void 0 ? t : null,
      resolution: e,
      nextCenter: this.nextCenter_,
      nextResolution: this.nextResolution_,
      nextRotation: this.nextRotation_,
      rotation: n,
      zoom: this.getZoom()
    };
  }
  /**
   * @return {ViewStateLayerStateExtent} Like `FrameState`, but just `viewState` and `extent`.
   */
  getViewStateAndExtent() {
    return {
      viewState: this.getState(),
      extent: this.calculateExtent()
    };
  }
  /**
   * Get the current zoom level. This method may return non-integer zoom levels
   * if the view does not constrain the resolution, or if an interaction or
   * animation is underway.
   * @return {number|undefined} Zoom.
   * @api
   */
  getZoom() {
    let t;
    const e = this.getResolution();
    return e !== void 0 && (t = this.getZoomForResolution(e)), t;
  }
  /**
   * Get the zoom level for a resolution.
   * @param {number} resolution The resolution.
   * @return {number|undefined} The zoom level for the provided resolution.
   * @api
   */
  getZoomForResolution(t) {
    let e = this.minZoom_ || 0, n, r;
    if (this.resolutions_) {
      const s = Fa(this.resolutions_, t, 1);
      e = s, n = this.resolutions_[s], s == this.resolutions_.length - 1 ? r = 2 : r = n / this.resolutions_[s + 1];
    } else
      n = this.maxResolution_, r = this.zoomFactor_;
    return e + Math.log(n / t) / Math.log(r);
  }
  /**
   * Get the resolution for a zoom level.
   * @param {number} zoom Zoom level.
   * @return {number} The view resolution for the provided zoom level.
   * @api
   */
  getResolutionForZoom(t) {
    if (this.resolutions_?.length) {
      if (this.resolutions_.length === 1)
        return this.resolutions_[0];
      const e = dt(
        Math.floor(t),
        0,
        this.resolutions_.length - 2
      ), n = this.resolutions_[e] / this.resolutions_[e + 1];
      return this.resolutions_[e] / Math.pow(n, dt(t - e, 0, 1));
    }
    return this.maxResolution_ / Math.pow(this.zoomFactor_, t - this.minZoom_);
  }
  /**
   * Fit the given geometry or extent based on the given map size and border.
   * The size is pixel dimensions of the box to fit the extent into.
   * In most cases you will want to use the map size, that is `map.getSize()`.
   * Takes care of the map angle.
   * @param {import("./geom/SimpleGeometry.js").default|import("./extent.js").Extent} geometryOrExtent The geometry or
   *     extent to fit the view to.
   * @param {FitOptions} [options] Options.
   * @api
   */
  fit(t, e) {
    let n;
    if (nt(
      Array.isArray(t) || typeof /** @type {?} */
      t.getSimplifiedGeometry == "function",
      "Invalid extent or geometry provided as `geometry`"
    ), Array.isArray(t)) {
      nt(
        !Ri(t),
        "Cannot fit empty extent provided as `geometry`"
      );
      const r = Qe(t, this.getProjection());
      n = Kl(r);
    } else if (t.getType() === "Circle") {
      const r = Qe(
        t.getExtent(),
        this.getProjection()
      );
      n = Kl(r), n.rotate(this.getRotation(), Ue(r));
    } else
      n = t;
    this.fitInternal(n, e);
  }
  /**
   * Calculate rotated extent
   * @param {import("./geom/SimpleGeometry.js").default} geometry The geometry.
   * @return {import("./extent").Extent} The rotated extent for the geometry.
   */
  rotatedExtentForGeometry(t) {
    const e = this.getRotation(), n = Math.cos(e), r = Math.sin(-e), s = t.getFlatCoordinates(), o = t.getStride();
    let a = 1 / 0, l = 1 / 0, h = -1 / 0, c = -1 / 0;
    for (let u = 0, d = s.length; u < d; u += o) {
      const g = s[u] * n - s[u + 1] * r, f = s[u] * r + s[u + 1] * n;
      a = Math.min(a, g), l = Math.min(l, f), h = Math.max(h, g), c = Math.max(c, f);
    }
    return [a, l, h, c];
  }
  /**
   * @param {import("./geom/SimpleGeometry.js").default} geometry The geometry.
   * @param {FitOptions} [options] Options.
   */
  fitInternal(t, e) {
    e = e || {};
    let n = e.size;
    n || (n = this.getViewportSizeMinusPadding_());
    const r = e.padding !== void 0 ? e.padding : [0, 0, 0, 0], s = e.nearest !== void 0 ? e.nearest : !1;
    let o;
    e.minResolution !== void 0 ? o = e.minResolution : e.maxZoom !== void 0 ? o = this.getResolutionForZoom(e.maxZoom) : o = 0;
    const a = this.rotatedExtentForGeometry(t);
    let l = this.getResolutionForExtentInternal(a, [
      n[0] - r[1] - r[3],
      n[1] - r[0] - r[2]
    ]);
    l = isNaN(l) ? o : Math.max(l, o), l = this.getConstrainedResolution(l, s ? 0 : 1);
    const h = this.getRotation(), c = Math.sin(h), u = Math.cos(h), d = Ue(a);
    d[0] += (r[1] - r[3]) / 2 * l, d[1] += (r[0] - r[2]) / 2 * l;
    const g = d[0] * u - d[1] * c, f = d[1] * u + d[0] * c, p = this.getConstrainedCenter([g, f], l), _ = e.callback ? e.callback : ur;
    e.duration !== void 0 ? this.animateInternal(
      {
        resolution: l,
        center: p,
        duration: e.duration,
        easing: e.easing
      },
      _
    ) : (this.targetResolution_ = l, this.targetCenter_ = p, this.applyTargetState_(!1, !0), es(_, !0));
  }
  /**
   * Center on coordinate and view position.
   * @param {import("./coordinate.js").Coordinate} coordinate Coordinate.
   * @param {import("./size.js").Size} size Box pixel size.
   * @param {import("./pixel.js").Pixel} position Position on the view to center on.
   * @api
   */
  centerOn(t, e, n) {
    this.centerOnInternal(
      gt(t, this.getProjection()),
      e,
      n
    );
  }
  /**
   * @param {import("./coordinate.js").Coordinate} coordinate Coordinate.
   * @param {import("./size.js").Size} size Box pixel size.
   * @param {import("./pixel.js").Pixel} position Position on the view to center on.
   */
  centerOnInternal(t, e, n) {
    this.setCenterInternal(
      Co(
        t,
        e,
        n,
        this.getResolution(),
        this.getRotation()
      )
    );
  }
  /**
   * Calculates the shift between map and viewport center.
   * @param {import("./coordinate.js").Coordinate} center Center.
   * @param {number} resolution Resolution.
   * @param {number} rotation Rotation.
   * @param {import("./size.js").Size} size Size.
   * @return {Array<number>|undefined} Center shift.
   */
  calculateCenterShift(t, e, n, r) {
    let s;
    const o = this.padding_;
    if (o && t) {
      const a = this.getViewportSizeMinusPadding_(-n), l = Co(
        t,
        r,
        [a[0] / 2 + o[3], a[1] / 2 + o[0]],
        e,
        n
      );
      s = [
        t[0] - l[0],
        t[1] - l[1]
      ];
    }
    return s;
  }
  /**
   * @return {boolean} Is defined.
   */
  isDef() {
    return !!this.getCenterInternal() && this.getResolution() !== void 0;
  }
  /**
   * Adds relative coordinates to the center of the view. Any extent constraint will apply.
   * @param {import("./coordinate.js").Coordinate} deltaCoordinates Relative value to add.
   * @api
   */
  adjustCenter(t) {
    const e = Un(this.targetCenter_, this.getProjection());
    this.setCenter([
      e[0] + t[0],
      e[1] + t[1]
    ]);
  }
  /**
   * Adds relative coordinates to the center of the view. Any extent constraint will apply.
   * @param {import("./coordinate.js").Coordinate} deltaCoordinates Relative value to add.
   */
  adjustCenterInternal(t) {
    const e = this.targetCenter_;
    this.setCenterInternal([
      e[0] + t[0],
      e[1] + t[1]
    ]);
  }
  /**
   * Multiply the view resolution by a ratio, optionally using an anchor. Any resolution
   * constraint will apply.
   * @param {number} ratio The ratio to apply on the view resolution.
   * @param {import("./coordinate.js").Coordinate} [anchor] The origin of the transformation.
   * @api
   */
  adjustResolution(t, e) {
    e = e && gt(e, this.getProjection()), this.adjustResolutionInternal(t, e);
  }
  /**
   * Multiply the view resolution by a ratio, optionally using an anchor. Any resolution
   * constraint will apply.
   * @param {number} ratio The ratio to apply on the view resolution.
   * @param {import("./coordinate.js").Coordinate} [anchor] The origin of the transformation.
   */
  adjustResolutionInternal(t, e) {
    const n = this.getAnimating() || this.getInteracting(), r = this.getViewportSize_(this.getRotation()), s = this.constraints_.resolution(
      this.targetResolution_ * t,
      0,
      r,
      n
    );
    e && (this.targetCenter_ = this.calculateCenterZoom(s, e)), this.targetResolution_ *= t, this.applyTargetState_();
  }
  /**
   * Adds a value to the view zoom level, optionally using an anchor. Any resolution
   * constraint will apply.
   * @param {number} delta Relative value to add to the zoom level.
   * @param {import("./coordinate.js").Coordinate} [anchor] The origin of the transformation.
   * @api
   */
  adjustZoom(t, e) {
    this.adjustResolution(Math.pow(this.zoomFactor_, -t), e);
  }
  /**
   * Adds a value to the view rotation, optionally using an anchor. Any rotation
   * constraint will apply.
   * @param {number} delta Relative value to add to the zoom rotation, in radians.
   * @param {import("./coordinate.js").Coordinate} [anchor] The rotation center.
   * @api
   */
  adjustRotation(t, e) {
    e && (e = gt(e, this.getProjection())), this.adjustRotationInternal(t, e);
  }
  /**
   * @param {number} delta Relative value to add to the zoom rotation, in radians.
   * @param {import("./coordinate.js").Coordinate} [anchor] The rotation center.
   */
  adjustRotationInternal(t, e) {
    const n = this.getAnimating() || this.getInteracting(), r = this.constraints_.rotation(
      this.targetRotation_ + t,
      n
    );
    e && (this.targetCenter_ = this.calculateCenterRotate(r, e)), this.targetRotation_ += t, this.applyTargetState_();
  }
  /**
   * Set the center of the current view. Any extent constraint will apply.
   * @param {import("./coordinate.js").Coordinate|undefined} center The center of the view.
   * @observable
   * @api
   */
  setCenter(t) {
    this.setCenterInternal(
      t && gt(t, this.getProjection())
    );
  }
  /**
   * Set the center using the view projection (not the user projection).
   * @param {import("./coordinate.js").Coordinate|undefined} center The center of the view.
   */
  setCenterInternal(t) {
    this.targetCenter_ = t, this.applyTargetState_();
  }
  /**
   * @param {import("./ViewHint.js").default} hint Hint.
   * @param {number} delta Delta.
   * @return {number} New value.
   */
  setHint(t, e) {
    return this.hints_[t] += e, this.changed(), this.hints_[t];
  }
  /**
   * Set the resolution for this view. Any resolution constraint will apply.
   * @param {number|undefined} resolution The resolution of the view.
   * @observable
   * @api
   */
  setResolution(t) {
    this.targetResolution_ = t, this.applyTargetState_();
  }
  /**
   * Set the rotation for this view. Any rotation constraint will apply.
   * @param {number} rotation The rotation of the view in radians.
   * @observable
   * @api
   */
  setRotation(t) {
    this.targetRotation_ = t, this.applyTargetState_();
  }
  /**
   * Zoom to a specific zoom level. Any resolution constrain will apply.
   * @param {number} zoom Zoom level.
   * @api
   */
  setZoom(t) {
    this.setResolution(this.getResolutionForZoom(t));
  }
  /**
   * Recompute rotation/resolution/center based on target values.
   * Note: we have to compute rotation first, then resolution and center considering that
   * parameters can influence one another in case a view extent constraint is present.
   * @param {boolean} [doNotCancelAnims] Do not cancel animations.
   * @param {boolean} [forceMoving] Apply constraints as if the view is moving.
   * @private
   */
  applyTargetState_(t, e) {
    const n = this.getAnimating() || this.getInteracting() || e, r = this.constraints_.rotation(
      this.targetRotation_,
      n
    ), s = this.getViewportSize_(r), o = this.constraints_.resolution(
      this.targetResolution_,
      0,
      s,
      n
    ), a = this.constraints_.center(
      this.targetCenter_,
      o,
      s,
      n,
      this.calculateCenterShift(
        this.targetCenter_,
        o,
        r,
        s
      )
    );
    this.get(Ee.ROTATION) !== r && this.set(Ee.ROTATION, r), this.get(Ee.RESOLUTION) !== o && (this.set(Ee.RESOLUTION, o), this.set("zoom", this.getZoom(), !0)), (!a || !this.get(Ee.CENTER) || !Xt(this.get(Ee.CENTER), a)) && this.set(Ee.CENTER, a), this.getAnimating() && !t && this.cancelAnimations(), this.cancelAnchor_ = void 0;
  }
  /**
   * If any constraints need to be applied, an animation will be triggered.
   * This is typically done on interaction end.
   * Note: calling this with a duration of 0 will apply the constrained values straight away,
   * without animation.
   * @param {number} [duration] The animation duration in ms.
   * @param {number} [resolutionDirection] Which direction to zoom.
   * @param {import("./coordinate.js").Coordinate} [anchor] The origin of the transformation.
   */
  resolveConstraints(t, e, n) {
    t = t !== void 0 ? t : 200;
    const r = e || 0, s = this.constraints_.rotation(this.targetRotation_), o = this.getViewportSize_(s), a = this.constraints_.resolution(
      this.targetResolution_,
      r,
      o
    ), l = this.constraints_.center(
      this.targetCenter_,
      a,
      o,
      !1,
      this.calculateCenterShift(
        this.targetCenter_,
        a,
        s,
        o
      )
    );
    if (t === 0 && !this.cancelAnchor_) {
      this.targetResolution_ = a, this.targetRotation_ = s, this.targetCenter_ = l, this.applyTargetState_();
      return;
    }
    n = n || (t === 0 ? this.cancelAnchor_ : void 0), this.cancelAnchor_ = void 0, (this.getResolution() !== a || this.getRotation() !== s || !this.getCenterInternal() || !Xt(this.getCenterInternal(), l)) && (this.getAnimating() && this.cancelAnimations(), this.animateInternal({
      rotation: s,
      center: l,
      resolution: a,
      duration: t,
      easing: pe,
      anchor: n
    }));
  }
  /**
   * Notify the View that an interaction has started.
   * The view state will be resolved to a stable one if needed
   * (depending on its constraints).
   * @api
   */
  beginInteraction() {
    this.resolveConstraints(0), this.setHint(It.INTERACTING, 1);
  }
  /**
   * Notify the View that an interaction has ended. The view state will be resolved
   * to a stable one if needed (depending on its constraints).
   * @param {number} [duration] Animation duration in ms.
   * @param {number} [resolutionDirection] Which direction to zoom.
   * @param {import("./coordinate.js").Coordinate} [anchor] The origin of the transformation.
   * @api
   */
  endInteraction(t, e, n) {
    n = n && gt(n, this.getProjection()), this.endInteractionInternal(t, e, n);
  }
  /**
   * Notify the View that an interaction has ended. The view state will be resolved
   * to a stable one if needed (depending on its constraints).
   * @param {number} [duration] Animation duration in ms.
   * @param {number} [resolutionDirection] Which direction to zoom.
   * @param {import("./coordinate.js").Coordinate} [anchor] The origin of the transformation.
   */
  endInteractionInternal(t, e, n) {
    this.getInteracting() && (this.setHint(It.INTERACTING, -1), this.resolveConstraints(t, e, n));
  }
  /**
   * Get a valid position for the view center according to the current constraints.
   * @param {import("./coordinate.js").Coordinate|undefined} targetCenter Target center position.
   * @param {number} [targetResolution] Target resolution. If not supplied, the current one will be used.
   * This is useful to guess a valid center position at a different zoom level.
   * @return {import("./coordinate.js").Coordinate|undefined} Valid center position.
   */
  getConstrainedCenter(t, e) {
    const n = this.getViewportSize_(this.getRotation());
    return this.constraints_.center(
      t,
      e || this.getResolution(),
      n
    );
  }
  /**
   * Get a valid zoom level according to the current view constraints.
   * @param {number|undefined} targetZoom Target zoom.
   * @param {number} [direction] Indicate which resolution should be used
   * by a renderer if the view resolution does not match any resolution of the tile source.
   * If 0, the nearest resolution will be used. If 1, the nearest lower resolution
   * will be used. If -1, the nearest higher resolution will be used.
   * @return {number|undefined} Valid zoom level.
   */
  getConstrainedZoom(t, e) {
    const n = this.getResolutionForZoom(t);
    return this.getZoomForResolution(
      this.getConstrainedResolution(n, e)
    );
  }
  /**
   * Get a valid resolution according to the current view constraints.
   * @param {number|undefined} targetResolution Target resolution.
   * @param {number} [direction] Indicate which resolution should be used
   * by a renderer if the view resolution does not match any resolution of the tile source.
   * If 0, the nearest resolution will be used. If 1, the nearest lower resolution
   * will be used. If -1, the nearest higher resolution will be used.
   * @return {number|undefined} Valid resolution.
   */
  getConstrainedResolution(t, e) {
    e = e || 0;
    const n = this.getViewportSize_(this.getRotation());
    return this.constraints_.resolution(t, e, n);
  }
}
function es(i, t) {
  setTimeout(function() {
    i(t);
  }, 0);
}
function gp(i) {
  if (i.extent !== void 0) {
    const e = i.smoothExtentConstraint !== void 0 ? i.smoothExtentConstraint : !0;
    return Th(i.extent, i.constrainOnlyCenter, e);
  }
  const t = ba(i.projection, "EPSG:3857");
  if (i.multiWorld !== !0 && t.isGlobal()) {
    const e = t.getExtent().slice();
    return e[0] = -1 / 0, e[2] = 1 / 0, Th(e, !1, !1);
  }
  return sp;
}
function fp(i) {
  let t, e, n, r = i.minZoom !== void 0 ? i.minZoom : So, s = i.maxZoom !== void 0 ? i.maxZoom : 28;
  const o = i.zoomFactor !== void 0 ? i.zoomFactor : 2, a = i.multiWorld !== void 0 ? i.multiWorld : !1, l = i.smoothResolutionConstraint !== void 0 ? i.smoothResolutionConstraint : !0, h = i.showFullExtent !== void 0 ? i.showFullExtent : !1, c = ba(i.projection, "EPSG:3857"), u = c.getExtent();
  let d = i.constrainOnlyCenter, g = i.extent;
  if (!a && !g && c.isGlobal() && (d = !1, g = u), i.resolutions !== void 0) {
    const f = i.resolutions;
    e = f[r], n = f[s] !== void 0 ? f[s] : f[f.length - 1], i.constrainResolution ? t = lp(
      f,
      l,
      !d && g,
      h
    ) : t = wh(
      e,
      n,
      l,
      !d && g,
      h
    );
  } else {
    const f = (u ? Math.max(at(u), Zt(u)) : (
      // use an extent that can fit the whole world if need be
      360 * or.degrees / c.getMetersPerUnit()
    )) / tl / Math.pow(2, So), p = f / Math.pow(2, 28 - So);
    e = i.maxResolution, e !== void 0 ? r = 0 : e = f / Math.pow(o, r), n = i.minResolution, n === void 0 && (i.maxZoom !== void 0 ? i.maxResolution !== void 0 ? n = e / Math.pow(o, s) : n = f / Math.pow(o, s) : n = p), s = r + Math.floor(
      Math.log(e / n) / Math.log(o)
    ), n = e / Math.pow(o, s - r), i.constrainResolution ? t = hp(
      o,
      e,
      n,
      l,
      !d && g,
      h
    ) : t = wh(
      e,
      n,
      l,
      !d && g,
      h
    );
  }
  return {
    constraint: t,
    maxResolution: e,
    minResolution: n,
    minZoom: r,
    zoomFactor: o
  };
}
function _p(i) {
  if (i.enableRotation === void 0 || i.enableRotation) {
    const t = i.constrainRotation;
    return t === void 0 || t === !0 ? up() : t === !1 ? Rh : typeof t == "number" ? cp(t) : Rh;
  }
  return Qa;
}
function pp(i) {
  return !(i.sourceCenter && i.targetCenter && !Xt(i.sourceCenter, i.targetCenter) || i.sourceResolution !== i.targetResolution || i.sourceRotation !== i.targetRotation);
}
function Co(i, t, e, n, r) {
  const s = Math.cos(-r);
  let o = Math.sin(-r), a = i[0] * s - i[1] * o, l = i[1] * s + i[0] * o;
  a += (t[0] / 2 - e[0]) * n, l += (e[1] - t[1] / 2) * n, o = -o;
  const h = a * s - l * o, c = l * s + a * o;
  return [h, c];
}
const ot = {
  OPACITY: "opacity",
  VISIBLE: "visible",
  EXTENT: "extent",
  Z_INDEX: "zIndex",
  MAX_RESOLUTION: "maxResolution",
  MIN_RESOLUTION: "minResolution",
  MAX_ZOOM: "maxZoom",
  MIN_ZOOM: "minZoom",
  SOURCE: "source",
  MAP: "map"
};
class cu extends $e {
  /**
   * @param {Options} options Layer options.
   */
  constructor(t) {
    super(), this.on, this.once, this.un, this.background_ = t.background;
    const e = Object.assign({}, t);
    typeof t.properties == "object" && (delete e.properties, Object.assign(e, t.properties)), e[ot.OPACITY] = t.opacity !== void 0 ? t.opacity : 1, nt(
      typeof e[ot.OPACITY] == "number",
      "Layer opacity must be a number"
    ), e[ot.VISIBLE] = t.visible !== void 0 ? t.visible : !0, e[ot.Z_INDEX] = t.zIndex, e[ot.MAX_RESOLUTION] = t.maxResolution !== void 0 ? t.maxResolution : 1 / 0, e[ot.MIN_RESOLUTION] = t.minResolution !== void 0 ? t.minResolution : 0, e[ot.MIN_ZOOM] = t.minZoom !== void 0 ? t.minZoom : -1 / 0, e[ot.MAX_ZOOM] = t.maxZoom !== void 0 ? t.maxZoom : 1 / 0, this.className_ = e.className !== void 0 ? e.className : "ol-layer", delete e.className, this.setProperties(e), this.state_ = null;
  }
  /**
   * Get the background for this layer.
   * @return {BackgroundColor|false} Layer background.
   */
  getBackground() {
    return this.background_;
  }
  /**
   * @return {string} CSS class name.
   */
  getClassName() {
    return this.className_;
  }
  /**
   * This method is not meant to be called by layers or layer renderers because the state
   * is incorrect if the layer is included in a layer group.
   *
   * @param {boolean} [managed] Layer is managed.
   * @return {import("./Layer.js").State} Layer state.
   */
  getLayerState(t) {
    const e = this.state_ || /** @type {?} */
    {
      layer: this,
      managed: t === void 0 ? !0 : t
    }, n = this.getZIndex();
    return e.opacity = dt(Math.round(this.getOpacity() * 100) / 100, 0, 1), e.visible = this.getVisible(), e.extent = this.getExtent(), e.zIndex = n === void 0 && !e.managed ? 1 / 0 : n, e.maxResolution = this.getMaxResolution(), e.minResolution = Math.max(this.getMinResolution(), 0), e.minZoom = this.getMinZoom(), e.maxZoom = this.getMaxZoom(), this.state_ = e, e;
  }
  /**
   * @abstract
   * @param {Array<import("./Layer.js").default>} [array] Array of layers (to be
   *     modified in place).
   * @return {Array<import("./Layer.js").default>} Array of layers.
   */
  getLayersArray(t) {
    return X();
  }
  /**
   * @abstract
   * @param {Array<import("./Layer.js").State>} [states] Optional list of layer
   *     states (to be modified in place).
   * @return {Array<import("./Layer.js").State>} List of layer states.
   */
  getLayerStatesArray(t) {
    return X();
  }
  /**
   * Return the {@link module:ol/extent~Extent extent} of the layer or `undefined` if it
   * will be visible regardless of extent.
   * @return {import("../extent.js").Extent|undefined} The layer extent.
   * @observable
   * @api
   */
  getExtent() {
    return (
      /** @type {import("../extent.js").Extent|undefined} */
      this.get(ot.EXTENT)
    );
  }
  /**
   * Return the maximum resolution of the layer. Returns Infinity if
   * the layer has no maximum resolution set.
   * @return {number} The maximum resolution of the layer.
   * @observable
   * @api
   */
  getMaxResolution() {
    return (
      /** @type {number} */
      this.get(ot.MAX_RESOLUTION)
    );
  }
  /**
   * Return the minimum resolution of the layer. Returns 0 if
   * the layer has no minimum resolution set.
   * @return {number} The minimum resolution of the layer.
   * @observable
   * @api
   */
  getMinResolution() {
    return (
      /** @type {number} */
      this.get(ot.MIN_RESOLUTION)
    );
  }
  /**
   * Return the minimum zoom level of the layer. Returns -Infinity if
   * the layer has no minimum zoom set.
   * @return {number} The minimum zoom level of the layer.
   * @observable
   * @api
   */
  getMinZoom() {
    return (
      /** @type {number} */
      this.get(ot.MIN_ZOOM)
    );
  }
  /**
   * Return the maximum zoom level of the layer. Returns Infinity if
   * the layer has no maximum zoom set.
   * @return {number} The maximum zoom level of the layer.
   * @observable
   * @api
   */
  getMaxZoom() {
    return (
      /** @type {number} */
      this.get(ot.MAX_ZOOM)
    );
  }
  /**
   * Return the opacity of the layer (between 0 and 1).
   * @return {number} The opacity of the layer.
   * @observable
   * @api
   */
  getOpacity() {
    return (
      /** @type {number} */
      this.get(ot.OPACITY)
    );
  }
  /**
   * @abstract
   * @return {import("../source/Source.js").State} Source state.
   */
  getSourceState() {
    return X();
  }
  /**
   * Return the value of this layer's `visible` property. To find out whether the layer
   * is visible on a map, use `isVisible()` instead.
   * @return {boolean} The value of the `visible` property of the layer.
   * @observable
   * @api
   */
  getVisible() {
    return (
      /** @type {boolean} */
      this.get(ot.VISIBLE)
    );
  }
  /**
   * Return the Z-index of the layer, which is used to order layers before
   * rendering. Returns undefined if the layer is unmanaged.
   * @return {number|undefined} The Z-index of the layer.
   * @observable
   * @api
   */
  getZIndex() {
    return (
      /** @type {number|undefined} */
      this.get(ot.Z_INDEX)
    );
  }
  /**
   * Sets the background color.
   * @param {BackgroundColor} [background] Background color.
   */
  setBackground(t) {
    this.background_ = t, this.changed();
  }
  /**
   * Set the extent at which the layer is visible.  If `undefined`, the layer
   * will be visible at all extents.
   * @param {import("../extent.js").Extent|undefined} extent The extent of the layer.
   * @observable
   * @api
   */
  setExtent(t) {
    this.set(ot.EXTENT, t);
  }
  /**
   * Set the maximum resolution at which the layer is visible.
   * @param {number} maxResolution The maximum resolution of the layer.
   * @observable
   * @api
   */
  setMaxResolution(t) {
    this.set(ot.MAX_RESOLUTION, t);
  }
  /**
   * Set the minimum resolution at which the layer is visible.
   * @param {number} minResolution The minimum resolution of the layer.
   * @observable
   * @api
   */
  setMinResolution(t) {
    this.set(ot.MIN_RESOLUTION, t);
  }
  /**
   * Set the maximum zoom (exclusive) at which the layer is visible.
   * Note that the zoom levels for layer visibility are based on the
   * view zoom level, which may be different from a tile source zoom level.
   * @param {number} maxZoom The maximum zoom of the layer.
   * @observable
   * @api
   */
  setMaxZoom(t) {
    this.set(ot.MAX_ZOOM, t);
  }
  /**
   * Set the minimum zoom (inclusive) at which the layer is visible.
   * Note that the zoom levels for layer visibility are based on the
   * view zoom level, which may be different from a tile source zoom level.
   * @param {number} minZoom The minimum zoom of the layer.
   * @observable
   * @api
   */
  setMinZoom(t) {
    this.set(ot.MIN_ZOOM, t);
  }
  /**
   * Set the opacity of the layer, allowed values range from 0 to 1.
   * @param {number} opacity The opacity of the layer.
   * @observable
   * @api
   */
  setOpacity(t) {
    nt(typeof t == "number", "Layer opacity must be a number"), this.set(ot.OPACITY, t);
  }
  /**
   * Set the visibility of the layer (`true` or `false`).
   * @param {boolean} visible The visibility of the layer.
   * @observable
   * @api
   */
  setVisible(t) {
    this.set(ot.VISIBLE, t);
  }
  /**
   * Set Z-index of the layer, which is used to order layers before rendering.
   * The default Z-index is 0.
   * @param {number} zindex The z-index of the layer.
   * @observable
   * @api
   */
  setZIndex(t) {
    this.set(ot.Z_INDEX, t);
  }
  /**
   * Clean up.
   * @override
   */
  disposeInternal() {
    this.state_ && (this.state_.layer = null, this.state_ = null), super.disposeInternal();
  }
}
class Gr extends cu {
  /**
   * @param {Options<SourceType>} options Layer options.
   */
  constructor(t) {
    const e = Object.assign({}, t);
    delete e.source, super(e), this.on, this.once, this.un, this.mapPrecomposeKey_ = null, this.mapRenderKey_ = null, this.sourceChangeKey_ = null, this.renderer_ = null, this.sourceReady_ = !1, this.rendered = !1, t.render && (this.render = t.render), t.map && this.setMap(t.map), this.addChangeListener(
      ot.SOURCE,
      this.handleSourcePropertyChange_
    );
    const n = t.source ? (
      /** @type {SourceType} */
      t.source
    ) : null;
    this.setSource(n);
  }
  /**
   * @param {Array<import("./Layer.js").default>} [array] Array of layers (to be modified in place).
   * @return {Array<import("./Layer.js").default>} Array of layers.
   * @override
   */
  getLayersArray(t) {
    return t = t || [], t.push(this), t;
  }
  /**
   * @param {Array<import("./Layer.js").State>} [states] Optional list of layer states (to be modified in place).
   * @return {Array<import("./Layer.js").State>} List of layer states.
   * @override
   */
  getLayerStatesArray(t) {
    return t = t || [], t.push(this.getLayerState()), t;
  }
  /**
   * Get the layer source.
   * @return {SourceType|null} The layer source (or `null` if not yet set).
   * @observable
   * @api
   */
  getSource() {
    return (
      /** @type {SourceType} */
      this.get(ot.SOURCE) || null
    );
  }
  /**
   * @return {SourceType|null} The source being rendered.
   */
  getRenderSource() {
    return this.getSource();
  }
  /**
   * @return {import("../source/Source.js").State} Source state.
   * @override
   */
  getSourceState() {
    const t = this.getSource();
    return t ? t.getState() : "undefined";
  }
  /**
   * @private
   */
  handleSourceChange_() {
    this.changed(), !(this.sourceReady_ || this.getSource().getState() !== "ready") && (this.sourceReady_ = !0, this.dispatchEvent("sourceready"));
  }
  /**
   * @private
   */
  handleSourcePropertyChange_() {
    this.sourceChangeKey_ && (ht(this.sourceChangeKey_), this.sourceChangeKey_ = null), this.sourceReady_ = !1;
    const t = this.getSource();
    t && (this.sourceChangeKey_ = tt(
      t,
      Y.CHANGE,
      this.handleSourceChange_,
      this
    ), t.getState() === "ready" && (this.sourceReady_ = !0, setTimeout(() => {
      this.dispatchEvent("sourceready");
    }, 0))), this.changed();
  }
  /**
   * @param {import("../pixel").Pixel} pixel Pixel.
   * @return {Promise<Array<import("../Feature").FeatureLike>>} Promise that resolves with
   * an array of features.
   */
  getFeatures(t) {
    return this.renderer_ ? this.renderer_.getFeatures(t) : Promise.resolve([]);
  }
  /**
   * @param {import("../pixel").Pixel} pixel Pixel.
   * @return {Uint8ClampedArray|Uint8Array|Float32Array|DataView|null} Pixel data.
   */
  getData(t) {
    return !this.renderer_ || !this.rendered ? null : this.renderer_.getData(t);
  }
  /**
   * The layer is visible on the map view, i.e. within its min/max resolution or zoom and
   * extent, not set to `visible: false`, and not inside a layer group that is set
   * to `visible: false`.
   * @param {View|import("../View.js").ViewStateLayerStateExtent} [view] View or {@link import("../Map.js").FrameState}.
   * Only required when the layer is not added to a map.
   * @return {boolean} The layer is visible in the map view.
   * @api
   */
  isVisible(t) {
    let e;
    const n = this.getMapInternal();
    !t && n && (t = n.getView()), t instanceof Oe ? e = {
      viewState: t.getState(),
      extent: t.calculateExtent()
    } : e = t, !e.layerStatesArray && n && (e.layerStatesArray = n.getLayerGroup().getLayerStatesArray());
    let r;
    if (e.layerStatesArray) {
      if (r = e.layerStatesArray.find(
        (o) => o.layer === this
      ), !r)
        return !1;
    } else
      r = this.getLayerState();
    const s = this.getExtent();
    return el(r, e.viewState) && (!s || Yt(s, e.extent));
  }
  /**
   * Get the attributions of the source of this layer for the given view.
   * @param {View|import("../View.js").ViewStateLayerStateExtent} [view] View or {@link import("../Map.js").FrameState}.
   * Only required when the layer is not added to a map.
   * @return {Array<string>} Attributions for this layer at the given view.
   * @api
   */
  getAttributions(t) {
    if (!this.isVisible(t))
      return [];
    const e = this.getSource()?.getAttributions();
    if (!e)
      return [];
    const n = t instanceof Oe ? t.getViewStateAndExtent() : t;
    let r = e(n);
    return Array.isArray(r) || (r = [r]), r;
  }
  /**
   * In charge to manage the rendering of the layer. One layer type is
   * bounded with one layer renderer.
   * @param {?import("../Map.js").FrameState} frameState Frame state.
   * @param {HTMLElement} target Target which the renderer may (but need not) use
   * for rendering its content.
   * @return {HTMLElement|null} The rendered element.
   */
  render(t, e) {
    const n = this.getRenderer();
    return n.prepareFrame(t) ? (this.rendered = !0, n.renderFrame(t, e)) : null;
  }
  /**
   * Called when a layer is not visible during a map render.
   */
  unrender() {
    this.rendered = !1;
  }
  /** @return {string} Declutter */
  getDeclutter() {
  }
  /**
   * @param {import("../Map.js").FrameState} frameState Frame state.
   * @param {import("../layer/Layer.js").State} layerState Layer state.
   */
  renderDeclutter(t, e) {
  }
  /**
   * When the renderer follows a layout -> render approach, do the final rendering here.
   * @param {import('../Map.js').FrameState} frameState Frame state
   */
  renderDeferred(t) {
    const e = this.getRenderer();
    e && e.renderDeferred(t);
  }
  /**
   * For use inside the library only.
   * @param {import("../Map.js").default|null} map Map.
   */
  setMapInternal(t) {
    t || this.unrender(), this.set(ot.MAP, t);
  }
  /**
   * For use inside the library only.
   * @return {import("../Map.js").default|null} Map.
   */
  getMapInternal() {
    return this.get(ot.MAP);
  }
  /**
   * Sets the layer to be rendered on top of other layers on a map. The map will
   * not manage this layer in its layers collection. This
   * is useful for temporary layers. To remove an unmanaged layer from the map,
   * use `#setMap(null)`.
   *
   * To add the layer to a map and have it managed by the map, use
   * {@link module:ol/Map~Map#addLayer} instead.
   * @param {import("../Map.js").default|null} map Map.
   * @api
   */
  setMap(t) {
    this.mapPrecomposeKey_ && (ht(this.mapPrecomposeKey_), this.mapPrecomposeKey_ = null), t || this.changed(), this.mapRenderKey_ && (ht(this.mapRenderKey_), this.mapRenderKey_ = null), t && (this.mapPrecomposeKey_ = tt(
      t,
      Mt.PRECOMPOSE,
      this.handlePrecompose_,
      this
    ), this.mapRenderKey_ = tt(this, Y.CHANGE, t.render, t), this.changed());
  }
  /**
   * @param {import("../events/Event.js").default} renderEvent Render event
   * @private
   */
  handlePrecompose_(t) {
    const e = (
      /** @type {import("../render/Event.js").default} */
      t.frameState.layerStatesArray
    ), n = this.getLayerState(!1);
    nt(
      !e.some(
        (r) => r.layer === n.layer
      ),
      "A layer can only be added to the map once. Use either `layer.setMap()` or `map.addLayer()`, not both."
    ), e.push(n);
  }
  /**
   * Set the layer source.
   * @param {SourceType|null} source The layer source.
   * @observable
   * @api
   */
  setSource(t) {
    this.set(ot.SOURCE, t);
  }
  /**
   * Get the renderer for this layer.
   * @return {RendererType|null} The layer renderer.
   */
  getRenderer() {
    return this.renderer_ || (this.renderer_ = this.createRenderer()), this.renderer_;
  }
  /**
   * @return {boolean} The layer has a renderer.
   */
  hasRenderer() {
    return !!this.renderer_;
  }
  /**
   * Create a renderer for this layer.
   * @return {RendererType} A layer renderer.
   * @protected
   */
  createRenderer() {
    return null;
  }
  /**
   * This will clear the renderer so that a new one can be created next time it is needed
   */
  clearRenderer() {
    this.renderer_ && (this.renderer_.dispose(), delete this.renderer_);
  }
  /**
   * Clean up.
   * @override
   */
  disposeInternal() {
    this.clearRenderer(), this.setSource(null), super.disposeInternal();
  }
}
function el(i, t) {
  if (!i.visible)
    return !1;
  const e = t.resolution;
  if (e < i.minResolution || e >= i.maxResolution)
    return !1;
  const n = t.zoom;
  return n > i.minZoom && n <= i.maxZoom;
}
const bh = {
  RENDER_ORDER: "renderOrder"
};
class nl extends Gr {
  /**
   * @param {Options<FeatureType, VectorSourceType>} [options] Options.
   */
  constructor(t) {
    t = t || {};
    const e = Object.assign({}, t);
    delete e.style, delete e.renderBuffer, delete e.updateWhileAnimating, delete e.updateWhileInteracting, super(e), this.declutter_ = t.declutter ? String(t.declutter) : void 0, this.renderBuffer_ = t.renderBuffer !== void 0 ? t.renderBuffer : 100, this.style_ = null, this.styleFunction_ = void 0, this.setStyle(t.style), this.updateWhileAnimating_ = t.updateWhileAnimating !== void 0 ? t.updateWhileAnimating : !1, this.updateWhileInteracting_ = t.updateWhileInteracting !== void 0 ? t.updateWhileInteracting : !1;
  }
  /**
   * @return {string} Declutter group.
   * @override
   */
  getDeclutter() {
    return this.declutter_;
  }
  /**
   * Get the topmost feature that intersects the given pixel on the viewport. Returns a promise
   * that resolves with an array of features. The array will either contain the topmost feature
   * when a hit was detected, or it will be empty.
   *
   * The hit detection algorithm used for this method is optimized for performance, but is less
   * accurate than the one used in [map.getFeaturesAtPixel()]{@link import("../Map.js").default#getFeaturesAtPixel}.
   * Text is not considered, and icons are only represented by their bounding box instead of the exact
   * image.
   *
   * @param {import("../pixel.js").Pixel} pixel Pixel.
   * @return {Promise<Array<import("../Feature").FeatureLike>>} Promise that resolves with an array of features.
   * @api
   * @override
   */
  getFeatures(t) {
    return super.getFeatures(t);
  }
  /**
   * @return {number|undefined} Render buffer.
   */
  getRenderBuffer() {
    return this.renderBuffer_;
  }
  /**
   * @return {import("../render.js").OrderFunction|null|undefined} Render order.
   */
  getRenderOrder() {
    return (
      /** @type {import("../render.js").OrderFunction|null|undefined} */
      this.get(bh.RENDER_ORDER)
    );
  }
  /**
   * Get the style for features.  This returns whatever was passed to the `style`
   * option at construction or to the `setStyle` method.
   * @return {import("../style/Style.js").StyleLike|import("../style/flat.js").FlatStyleLike|null|undefined} Layer style.
   * @api
   */
  getStyle() {
    return this.style_;
  }
  /**
   * Get the style function.
   * @return {import("../style/Style.js").StyleFunction|undefined} Layer style function.
   * @api
   */
  getStyleFunction() {
    return this.styleFunction_;
  }
  /**
   * @return {boolean} Whether the rendered layer should be updated while
   *     animating.
   */
  getUpdateWhileAnimating() {
    return this.updateWhileAnimating_;
  }
  /**
   * @return {boolean} Whether the rendered layer should be updated while
   *     interacting.
   */
  getUpdateWhileInteracting() {
    return this.updateWhileInteracting_;
  }
  /**
   * Render declutter items for this layer
   * @param {import("../Map.js").FrameState} frameState Frame state.
   * @param {import("../layer/Layer.js").State} layerState Layer state.
   * @override
   */
  renderDeclutter(t, e) {
    const n = this.getDeclutter();
    n in t.declutter || (t.declutter[n] = new qc(9)), this.getRenderer().renderDeclutter(t, e);
  }
  /**
   * @param {import("../render.js").OrderFunction|null|undefined} renderOrder
   *     Render order.
   */
  setRenderOrder(t) {
    this.set(bh.RENDER_ORDER, t);
  }
  /**
   * Set the style for features.  This can be a single style object, an array
   * of styles, or a function that takes a feature and resolution and returns
   * an array of styles. If set to `null`, the layer has no style (a `null` style),
   * so only features that have their own styles will be rendered in the layer. Call
   * `setStyle()` without arguments to reset to the default style. See
   * [the ol/style/Style module]{@link module:ol/style/Style~Style} for information on the default style.
   *
   * If your layer has a static style, you can use [flat style]{@link module:ol/style/flat~FlatStyle} object
   * literals instead of using the `Style` and symbolizer constructors (`Fill`, `Stroke`, etc.):
   * ```js
   * vectorLayer.setStyle({
   *   "fill-color": "yellow",
   *   "stroke-color": "black",
   *   "stroke-width": 4
   * })
   * ```
   *
   * @param {import("../style/Style.js").StyleLike|import("../style/flat.js").FlatStyleLike|null} [style] Layer style.
   * @api
   */
  setStyle(t) {
    this.style_ = t === void 0 ? Vc : t;
    const e = mp(t);
    this.styleFunction_ = t === null ? void 0 : If(e), this.changed();
  }
  /**
   * @param {boolean|string|number} declutter Declutter images and text.
   * @api
   */
  setDeclutter(t) {
    this.declutter_ = t ? String(t) : void 0, this.changed();
  }
}
function mp(i) {
  if (i === void 0)
    return Vc;
  if (!i)
    return null;
  if (typeof i == "function" || i instanceof Lt)
    return i;
  if (!Array.isArray(i))
    return vh([i]);
  if (i.length === 0)
    return [];
  const t = i.length, e = i[0];
  if (e instanceof Lt) {
    const n = new Array(t);
    for (let r = 0; r < t; ++r) {
      const s = i[r];
      if (!(s instanceof Lt))
        throw new Error("Expected a list of style instances");
      n[r] = s;
    }
    return n;
  }
  if ("style" in e) {
    const n = new Array(t);
    for (let r = 0; r < t; ++r) {
      const s = i[r];
      if (!("style" in s))
        throw new Error("Expected a list of rules with a style property");
      n[r] = s;
    }
    return X_(n);
  }
  return vh(
    /** @type {Array<import("../style/flat.js").FlatStyle>} */
    i
  );
}
class Ks extends nl {
  /**
   * @param {Options<VectorSourceType, FeatureType>} [options] Options.
   */
  constructor(t) {
    super(t);
  }
  /**
   * @override
   */
  createRenderer() {
    return new E_(this);
  }
}
const j = {
  IDLE: 0,
  LOADING: 1,
  LOADED: 2,
  /**
   * Indicates that tile loading failed
   * @type {number}
   */
  ERROR: 3,
  EMPTY: 4
};
class il extends Gs {
  /**
   * @param {import("./tilecoord.js").TileCoord} tileCoord Tile coordinate.
   * @param {import("./TileState.js").default} state State.
   * @param {Options} [options] Tile options.
   */
  constructor(t, e, n) {
    super(), n = n || {}, this.tileCoord = t, this.state = e, this.key = "", this.transition_ = n.transition === void 0 ? 250 : n.transition, this.transitionStarts_ = {}, this.interpolate = !!n.interpolate;
  }
  /**
   * @protected
   */
  changed() {
    this.dispatchEvent(Y.CHANGE);
  }
  /**
   * Called by the tile cache when the tile is removed from the cache due to expiry
   */
  release() {
    this.setState(j.EMPTY);
  }
  /**
   * @return {string} Key.
   */
  getKey() {
    return this.key + "/" + this.tileCoord;
  }
  /**
   * Get the tile coordinate for this tile.
   * @return {import("./tilecoord.js").TileCoord} The tile coordinate.
   * @api
   */
  getTileCoord() {
    return this.tileCoord;
  }
  /**
   * @return {import("./TileState.js").default} State.
   */
  getState() {
    return this.state;
  }
  /**
   * Sets the state of this tile. If you write your own {@link module:ol/Tile~LoadFunction tileLoadFunction} ,
   * it is important to set the state correctly to {@link module:ol/TileState~ERROR}
   * when the tile cannot be loaded. Otherwise the tile cannot be removed from
   * the tile queue and will block other requests.
   * @param {import("./TileState.js").default} state State.
   * @api
   */
  setState(t) {
    if (this.state !== j.EMPTY) {
      if (this.state !== j.ERROR && this.state > t)
        throw new Error("Tile load sequence violation");
      this.state = t, this.changed();
    }
  }
  /**
   * Load the image or retry if loading previously failed.
   * Loading is taken care of by the tile queue, and calling this method is
   * only needed for preloading or for reloading in case of an error.
   * @abstract
   * @api
   */
  load() {
    X();
  }
  /**
   * Get the alpha value for rendering.
   * @param {string} id An id for the renderer.
   * @param {number} time The render frame time.
   * @return {number} A number between 0 and 1.
   */
  getAlpha(t, e) {
    if (!this.transition_)
      return 1;
    let n = this.transitionStarts_[t];
    if (!n)
      n = e, this.transitionStarts_[t] = n;
    else if (n === -1)
      return 1;
    const r = e - n + 1e3 / 60;
    return r >= this.transition_ ? 1 : hu(r / this.transition_);
  }
  /**
   * Determine if a tile is in an alpha transition.  A tile is considered in
   * transition if tile.getAlpha() has not yet been called or has been called
   * and returned 1.
   * @param {string} id An id for the renderer.
   * @return {boolean} The tile is in transition.
   */
  inTransition(t) {
    return this.transition_ ? this.transitionStarts_[t] !== -1 : !1;
  }
  /**
   * Mark a transition as complete.
   * @param {string} id An id for the renderer.
   */
  endTransition(t) {
    this.transition_ && (this.transitionStarts_[t] = -1);
  }
  /**
   * @override
   */
  disposeInternal() {
    this.release(), super.disposeInternal();
  }
}
class uu extends il {
  /**
   * @param {import("./tilecoord.js").TileCoord} tileCoord Tile coordinate.
   * @param {import("./TileState.js").default} state State.
   * @param {string} src Image source URI.
   * @param {?string} crossOrigin Cross origin.
   * @param {import("./Tile.js").LoadFunction} tileLoadFunction Tile load function.
   * @param {import("./Tile.js").Options} [options] Tile options.
   */
  constructor(t, e, n, r, s, o) {
    super(t, e, o), this.crossOrigin_ = r, this.src_ = n, this.key = n, this.image_, le ? this.image_ = new OffscreenCanvas(1, 1) : (this.image_ = new Image(), r !== null && (this.image_.crossOrigin = r)), this.unlisten_ = null, this.tileLoadFunction_ = s;
  }
  /**
   * Get the HTML image element for this tile (may be a Canvas, OffscreenCanvas, Image, or Video).
   * @return {HTMLCanvasElement|OffscreenCanvas|HTMLImageElement|HTMLVideoElement} Image.
   * @api
   */
  getImage() {
    return this.image_;
  }
  /**
   * Sets an HTML image element for this tile (may be a Canvas or preloaded Image).
   * @param {HTMLCanvasElement|OffscreenCanvas|HTMLImageElement} element Element.
   */
  setImage(t) {
    this.image_ = t, this.state = j.LOADED, this.unlistenImage_(), this.changed();
  }
  /**
   * Get the cross origin of the ImageTile.
   * @return {string} Cross origin.
   */
  getCrossOrigin() {
    return this.crossOrigin_;
  }
  /**
   * Tracks loading or read errors.
   *
   * @private
   */
  handleImageError_() {
    this.state = j.ERROR, this.unlistenImage_(), this.image_ = yp(), this.changed();
  }
  /**
   * Tracks successful image load.
   *
   * @private
   */
  handleImageLoad_() {
    if (le)
      this.state = j.LOADED;
    else {
      const t = (
        /** @type {HTMLImageElement} */
        this.image_
      );
      t.naturalWidth && t.naturalHeight ? this.state = j.LOADED : this.state = j.EMPTY;
    }
    this.unlistenImage_(), this.changed();
  }
  /**
   * Load the image or retry if loading previously failed.
   * Loading is taken care of by the tile queue, and calling this method is
   * only needed for preloading or for reloading in case of an error.
   *
   * To retry loading tiles on failed requests, use a custom `tileLoadFunction`
   * that checks for error status codes and reloads only when the status code is
   * 408, 429, 500, 502, 503 and 504, and only when not too many retries have been
   * made already:
   *
   * ```js
   * const retryCodes = [408, 429, 500, 502, 503, 504];
   * const retries = {};
   * source.setTileLoadFunction((tile, src) => {
   *   const image = tile.getImage();
   *   fetch(src)
   *     .then((response) => {
   *       if (retryCodes.includes(response.status)) {
   *         retries[src] = (retries[src] || 0) + 1;
   *         if (retries[src] <= 3) {
   *           setTimeout(() => tile.load(), retries[src] * 1000);
   *         }
   *         return Promise.reject();
   *       }
   *       return response.blob();
   *     })
   *     .then((blob) => {
   *       const imageUrl = URL.createObjectURL(blob);
   *       image.src = imageUrl;
   *       setTimeout(() => URL.revokeObjectURL(imageUrl), 5000);
   *     })
   *     .catch(() => tile.setState(3)); // error
   * });
   * ```
   * @api
   * @override
   */
  load() {
    this.state == j.ERROR && (this.state = j.IDLE, this.image_ = new Image(), this.crossOrigin_ !== null && (this.image_.crossOrigin = this.crossOrigin_)), this.state == j.IDLE && (this.state = j.LOADING, this.changed(), this.tileLoadFunction_(this, this.src_), this.unlisten_ = mf(
      this.image_,
      this.handleImageLoad_.bind(this),
      this.handleImageError_.bind(this)
    ));
  }
  /**
   * Discards event handlers which listen for load completion or errors.
   *
   * @private
   */
  unlistenImage_() {
    this.unlisten_ && (this.unlisten_(), this.unlisten_ = null);
  }
  /**
   * @override
   */
  disposeInternal() {
    this.unlistenImage_(), this.image_ = null, super.disposeInternal();
  }
}
function yp() {
  const i = Rt(1, 1);
  return i.fillStyle = "rgba(0,0,0,0)", i.fillRect(0, 0, 1, 1), i.canvas;
}
class xp {
  /**
   * @param {number} decay Rate of decay (must be negative).
   * @param {number} minVelocity Minimum velocity (pixels/millisecond).
   * @param {number} delay Delay to consider to calculate the kinetic
   *     initial values (milliseconds).
   */
  constructor(t, e, n) {
    this.decay_ = t, this.minVelocity_ = e, this.delay_ = n, this.points_ = [], this.angle_ = 0, this.initialVelocity_ = 0;
  }
  /**
   * FIXME empty description for jsdoc
   */
  begin() {
    this.points_.length = 0, this.angle_ = 0, this.initialVelocity_ = 0;
  }
  /**
   * @param {number} x X.
   * @param {number} y Y.
   */
  update(t, e) {
    this.points_.push(t, e, Date.now());
  }
  /**
   * @return {boolean} Whether we should do kinetic animation.
   */
  end() {
    if (this.points_.length < 6)
      return !1;
    const t = Date.now() - this.delay_, e = this.points_.length - 3;
    if (this.points_[e + 2] < t)
      return !1;
    let n = e - 3;
    for (; n > 0 && this.points_[n + 2] > t; )
      n -= 3;
    const r = this.points_[e + 2] - this.points_[n + 2];
    if (r < 1e3 / 60)
      return !1;
    const s = this.points_[e] - this.points_[n], o = this.points_[e + 1] - this.points_[n + 1];
    return this.angle_ = Math.atan2(o, s), this.initialVelocity_ = Math.sqrt(s * s + o * o) / r, this.initialVelocity_ > this.minVelocity_;
  }
  /**
   * @return {number} Total distance travelled (pixels).
   */
  getDistance() {
    return (this.minVelocity_ - this.initialVelocity_) / this.decay_;
  }
  /**
   * @return {number} Angle of the kinetic panning animation (radians).
   */
  getAngle() {
    return this.angle_;
  }
}
class fi extends Pe {
  /**
   * @param {string} type Event type.
   * @param {import("./Map.js").default} map Map.
   * @param {?import("./Map.js").FrameState} [frameState] Frame state.
   */
  constructor(t, e, n) {
    super(t), this.map = e, this.frameState = n !== void 0 ? n : null;
  }
}
class fn extends fi {
  /**
   * @param {string} type Event type.
   * @param {import("./Map.js").default} map Map.
   * @param {EVENT} originalEvent Original event.
   * @param {boolean} [dragging] Is the map currently being dragged?
   * @param {import("./Map.js").FrameState} [frameState] Frame state.
   * @param {Array<PointerEvent>} [activePointers] Active pointers.
   */
  constructor(t, e, n, r, s, o) {
    super(t, e, s), this.originalEvent = n, this.pixel_ = null, this.coordinate_ = null, this.dragging = r !== void 0 ? r : !1, this.activePointers = o;
  }
  /**
   * The map pixel relative to the viewport corresponding to the original event.
   * @type {import("./pixel.js").Pixel}
   * @api
   */
  get pixel() {
    return this.pixel_ || (this.pixel_ = this.map.getEventPixel(this.originalEvent)), this.pixel_;
  }
  set pixel(t) {
    this.pixel_ = t;
  }
  /**
   * The coordinate corresponding to the original browser event.  This will be in the user
   * projection if one is set.  Otherwise it will be in the view projection.
   * @type {import("./coordinate.js").Coordinate}
   * @api
   */
  get coordinate() {
    return this.coordinate_ || (this.coordinate_ = this.map.getCoordinateFromPixel(this.pixel)), this.coordinate_;
  }
  set coordinate(t) {
    this.coordinate_ = t;
  }
  /**
   * Prevents the default browser action.
   * See https://developer.mozilla.org/en-US/docs/Web/API/event.preventDefault.
   * @api
   * @override
   */
  preventDefault() {
    super.preventDefault(), "preventDefault" in this.originalEvent && this.originalEvent.preventDefault();
  }
  /**
   * Prevents further propagation of the current event.
   * See https://developer.mozilla.org/en-US/docs/Web/API/event.stopPropagation.
   * @api
   * @override
   */
  stopPropagation() {
    super.stopPropagation(), "stopPropagation" in this.originalEvent && this.originalEvent.stopPropagation();
  }
}
const lt = {
  /**
   * A true single click with no dragging and no double click. Note that this
   * event is delayed by 250 ms to ensure that it is not a double click.
   * @event module:ol/MapBrowserEvent~MapBrowserEvent#singleclick
   * @api
   */
  SINGLECLICK: "singleclick",
  /**
   * A click with no dragging. A double click will fire two of this.
   * @event module:ol/MapBrowserEvent~MapBrowserEvent#click
   * @api
   */
  CLICK: Y.CLICK,
  /**
   * A true double click, with no dragging.
   * @event module:ol/MapBrowserEvent~MapBrowserEvent#dblclick
   * @api
   */
  DBLCLICK: Y.DBLCLICK,
  /**
   * Triggered when a pointer is dragged.
   * @event module:ol/MapBrowserEvent~MapBrowserEvent#pointerdrag
   * @api
   */
  POINTERDRAG: "pointerdrag",
  /**
   * Triggered when a pointer is moved. Note that on touch devices this is
   * triggered when the map is panned, so is not the same as mousemove.
   * @event module:ol/MapBrowserEvent~MapBrowserEvent#pointermove
   * @api
   */
  POINTERMOVE: "pointermove",
  POINTERDOWN: "pointerdown",
  POINTERUP: "pointerup",
  POINTEROVER: "pointerover",
  POINTEROUT: "pointerout",
  POINTERENTER: "pointerenter",
  POINTERLEAVE: "pointerleave",
  POINTERCANCEL: "pointercancel"
}, la = {
  POINTERMOVE: "pointermove",
  POINTERDOWN: "pointerdown"
};
class vp extends Gs {
  /**
   * @param {import("./Map.js").default} map The map with the viewport to listen to events on.
   * @param {number} [moveTolerance] The minimal distance the pointer must travel to trigger a move.
   */
  constructor(t, e) {
    super(t), this.map_ = t, this.clickTimeoutId_, this.emulateClicks_ = !1, this.dragging_ = !1, this.dragListenerKeys_ = [], this.moveTolerance_ = e === void 0 ? 1 : e, this.down_ = null;
    const n = this.map_.getViewport();
    this.activePointers_ = [], this.trackedTouches_ = {}, this.element_ = n, this.pointerdownListenerKey_ = tt(
      n,
      la.POINTERDOWN,
      this.handlePointerDown_,
      this
    ), this.originalPointerMoveEvent_, this.relayedListenerKey_ = tt(
      n,
      la.POINTERMOVE,
      this.relayMoveEvent_,
      this
    ), this.boundHandleTouchMove_ = this.handleTouchMove_.bind(this), this.element_.addEventListener(
      Y.TOUCHMOVE,
      this.boundHandleTouchMove_,
      Nc ? { passive: !1 } : !1
    );
  }
  /**
   * @param {PointerEvent} pointerEvent Pointer
   * event.
   * @private
   */
  emulateClick_(t) {
    let e = new fn(
      lt.CLICK,
      this.map_,
      t
    );
    this.dispatchEvent(e), this.clickTimeoutId_ !== void 0 ? (clearTimeout(this.clickTimeoutId_), this.clickTimeoutId_ = void 0, e = new fn(
      lt.DBLCLICK,
      this.map_,
      t
    ), this.dispatchEvent(e)) : this.clickTimeoutId_ = setTimeout(() => {
      this.clickTimeoutId_ = void 0;
      const n = new fn(
        lt.SINGLECLICK,
        this.map_,
        t
      );
      this.dispatchEvent(n);
    }, 250);
  }
  /**
   * Keeps track on how many pointers are currently active.
   *
   * @param {PointerEvent} pointerEvent Pointer
   * event.
   * @private
   */
  updateActivePointers_(t) {
    const e = t, n = e.pointerId;
    if (e.type == lt.POINTERUP || e.type == lt.POINTERCANCEL) {
      delete this.trackedTouches_[n];
      for (const r in this.trackedTouches_)
        if (this.trackedTouches_[r].target !== e.target) {
          delete this.trackedTouches_[r];
          break;
        }
    } else (e.type == lt.POINTERDOWN || e.type == lt.POINTERMOVE) && (this.trackedTouches_[n] = e);
    this.activePointers_ = Object.values(this.trackedTouches_);
  }
  /**
   * @param {PointerEvent} pointerEvent Pointer
   * event.
   * @private
   */
  handlePointerUp_(t) {
    this.updateActivePointers_(t);
    const e = new fn(
      lt.POINTERUP,
      this.map_,
      t,
      void 0,
      void 0,
      this.activePointers_
    );
    this.dispatchEvent(e), this.emulateClicks_ && !e.defaultPrevented && !this.dragging_ && this.isMouseActionButton_(t) && this.emulateClick_(this.down_), this.activePointers_.length === 0 && (this.dragListenerKeys_.forEach(ht), this.dragListenerKeys_.length = 0, this.dragging_ = !1, this.down_ = null);
  }
  /**
   * @param {PointerEvent} pointerEvent Pointer
   * event.
   * @return {boolean} If the left mouse button was pressed.
   * @private
   */
  isMouseActionButton_(t) {
    return t.button === 0;
  }
  /**
   * @param {PointerEvent} pointerEvent Pointer
   * event.
   * @private
   */
  handlePointerDown_(t) {
    this.emulateClicks_ = this.activePointers_.length === 0, this.updateActivePointers_(t);
    const e = new fn(
      lt.POINTERDOWN,
      this.map_,
      t,
      void 0,
      void 0,
      this.activePointers_
    );
    if (this.dispatchEvent(e), this.down_ = new PointerEvent(t.type, t), Object.defineProperty(this.down_, "target", {
      writable: !1,
      value: t.target
    }), this.dragListenerKeys_.length === 0) {
      const n = this.map_.getOwnerDocument();
      this.dragListenerKeys_.push(
        tt(
          n,
          lt.POINTERMOVE,
          this.handlePointerMove_,
          this
        ),
        tt(n, lt.POINTERUP, this.handlePointerUp_, this),
        /* Note that the listener for `pointercancel is set up on
         * `pointerEventHandler_` and not `documentPointerEventHandler_` like
         * the `pointerup` and `pointermove` listeners.
         *
         * The reason for this is the following: `TouchSource.vacuumTouches_()`
         * issues `pointercancel` events, when there was no `touchend` for a
         * `touchstart`. Now, let's say a first `touchstart` is registered on
         * `pointerEventHandler_`. The `documentPointerEventHandler_` is set up.
         * But `documentPointerEventHandler_` doesn't know about the first
         * `touchstart`. If there is no `touchend` for the `touchstart`, we can
         * only receive a `touchcancel` from `pointerEventHandler_`, because it is
         * only registered there.
         */
        tt(
          this.element_,
          lt.POINTERCANCEL,
          this.handlePointerUp_,
          this
        )
      ), this.element_.getRootNode && this.element_.getRootNode() !== n && this.dragListenerKeys_.push(
        tt(
          this.element_.getRootNode(),
          lt.POINTERUP,
          this.handlePointerUp_,
          this
        )
      );
    }
  }
  /**
   * @param {PointerEvent} pointerEvent Pointer
   * event.
   * @private
   */
  handlePointerMove_(t) {
    if (this.isMoving_(t)) {
      this.updateActivePointers_(t), this.dragging_ = !0;
      const e = new fn(
        lt.POINTERDRAG,
        this.map_,
        t,
        this.dragging_,
        void 0,
        this.activePointers_
      );
      this.dispatchEvent(e);
    }
  }
  /**
   * Wrap and relay a pointermove event.
   * @param {PointerEvent} pointerEvent Pointer
   * event.
   * @private
   */
  relayMoveEvent_(t) {
    this.originalPointerMoveEvent_ = t;
    const e = !!(this.down_ && this.isMoving_(t));
    this.dispatchEvent(
      new fn(
        lt.POINTERMOVE,
        this.map_,
        t,
        e
      )
    );
  }
  /**
   * Flexible handling of a `touch-action: none` css equivalent: because calling
   * `preventDefault()` on a `pointermove` event does not stop native page scrolling
   * and zooming, we also listen for `touchmove` and call `preventDefault()` on it
   * when an interaction (currently `DragPan` handles the event.
   * @param {TouchEvent} event Event.
   * @private
   */
  handleTouchMove_(t) {
    const e = this.originalPointerMoveEvent_;
    (!e || e.defaultPrevented) && (typeof t.cancelable != "boolean" || t.cancelable === !0) && t.preventDefault();
  }
  /**
   * @param {PointerEvent} pointerEvent Pointer
   * event.
   * @return {boolean} Is moving.
   * @private
   */
  isMoving_(t) {
    return this.dragging_ || Math.abs(t.clientX - this.down_.clientX) > this.moveTolerance_ || Math.abs(t.clientY - this.down_.clientY) > this.moveTolerance_;
  }
  /**
   * Clean up.
   * @override
   */
  disposeInternal() {
    this.relayedListenerKey_ && (ht(this.relayedListenerKey_), this.relayedListenerKey_ = null), this.element_.removeEventListener(
      Y.TOUCHMOVE,
      this.boundHandleTouchMove_
    ), this.pointerdownListenerKey_ && (ht(this.pointerdownListenerKey_), this.pointerdownListenerKey_ = null), this.dragListenerKeys_.forEach(ht), this.dragListenerKeys_.length = 0, this.element_ = null, super.disposeInternal();
  }
}
const _n = {
  /**
   * Triggered after a map frame is rendered.
   * @event module:ol/MapEvent~MapEvent#postrender
   * @api
   */
  POSTRENDER: "postrender",
  /**
   * Triggered when the map starts moving.
   * @event module:ol/MapEvent~MapEvent#movestart
   * @api
   */
  MOVESTART: "movestart",
  /**
   * Triggered after the map is moved.
   * @event module:ol/MapEvent~MapEvent#moveend
   * @api
   */
  MOVEEND: "moveend",
  /**
   * Triggered when loading of additional map data (tiles, images, features) starts.
   * @event module:ol/MapEvent~MapEvent#loadstart
   * @api
   */
  LOADSTART: "loadstart",
  /**
   * Triggered when loading of additional map data has completed.
   * @event module:ol/MapEvent~MapEvent#loadend
   * @api
   */
  LOADEND: "loadend"
}, Ut = {
  LAYERGROUP: "layergroup",
  SIZE: "size",
  TARGET: "target",
  VIEW: "view"
}, ha = 1 / 0;
class Ep {
  /**
   * @param {function(T): number} priorityFunction Priority function.
   * @param {function(T): string} keyFunction Key function.
   */
  constructor(t, e) {
    this.priorityFunction_ = t, this.keyFunction_ = e, this.elements_ = [], this.priorities_ = [], this.queuedElements_ = {};
  }
  /**
   * FIXME empty description for jsdoc
   */
  clear() {
    this.elements_.length = 0, this.priorities_.length = 0, Li(this.queuedElements_);
  }
  /**
   * Remove and return the highest-priority element. O(log N).
   * @return {T} Element.
   */
  dequeue() {
    const t = this.elements_, e = this.priorities_, n = t[0];
    t.length == 1 ? (t.length = 0, e.length = 0) : (t[0] = /** @type {T} */
    t.pop(), e[0] = /** @type {number} */
    e.pop(), this.siftUp_(0));
    const r = this.keyFunction_(n);
    return delete this.queuedElements_[r], n;
  }
  /**
   * Enqueue an element. O(log N).
   * @param {T} element Element.
   * @return {boolean} The element was added to the queue.
   */
  enqueue(t) {
    nt(
      !(this.keyFunction_(t) in this.queuedElements_),
      "Tried to enqueue an `element` that was already added to the queue"
    );
    const e = this.priorityFunction_(t);
    return e != ha ? (this.elements_.push(t), this.priorities_.push(e), this.queuedElements_[this.keyFunction_(t)] = !0, this.siftDown_(0, this.elements_.length - 1), !0) : !1;
  }
  /**
   * @return {number} Count.
   */
  getCount() {
    return this.elements_.length;
  }
  /**
   * Gets the index of the left child of the node at the given index.
   * @param {number} index The index of the node to get the left child for.
   * @return {number} The index of the left child.
   * @private
   */
  getLeftChildIndex_(t) {
    return t * 2 + 1;
  }
  /**
   * Gets the index of the right child of the node at the given index.
   * @param {number} index The index of the node to get the right child for.
   * @return {number} The index of the right child.
   * @private
   */
  getRightChildIndex_(t) {
    return t * 2 + 2;
  }
  /**
   * Gets the index of the parent of the node at the given index.
   * @param {number} index The index of the node to get the parent for.
   * @return {number} The index of the parent.
   * @private
   */
  getParentIndex_(t) {
    return t - 1 >> 1;
  }
  /**
   * Make this a heap. O(N).
   * @private
   */
  heapify_() {
    let t;
    for (t = (this.elements_.length >> 1) - 1; t >= 0; t--)
      this.siftUp_(t);
  }
  /**
   * @return {boolean} Is empty.
   */
  isEmpty() {
    return this.elements_.length === 0;
  }
  /**
   * @param {string} key Key.
   * @return {boolean} Is key queued.
   */
  isKeyQueued(t) {
    return t in this.queuedElements_;
  }
  /**
   * @param {T} element Element.
   * @return {boolean} Is queued.
   */
  isQueued(t) {
    return this.isKeyQueued(this.keyFunction_(t));
  }
  /**
   * @param {number} index The index of the node to move down.
   * @private
   */
  siftUp_(t) {
    const e = this.elements_, n = this.priorities_, r = e.length, s = e[t], o = n[t], a = t;
    for (; t < r >> 1; ) {
      const l = this.getLeftChildIndex_(t), h = this.getRightChildIndex_(t), c = h < r && n[h] < n[l] ? h : l;
      e[t] = e[c], n[t] = n[c], t = c;
    }
    e[t] = s, n[t] = o, this.siftDown_(a, t);
  }
  /**
   * @param {number} startIndex The index of the root.
   * @param {number} index The index of the node to move up.
   * @private
   */
  siftDown_(t, e) {
    const n = this.elements_, r = this.priorities_, s = n[e], o = r[e];
    for (; e > t; ) {
      const a = this.getParentIndex_(e);
      if (r[a] > o)
        n[e] = n[a], r[e] = r[a], e = a;
      else
        break;
    }
    n[e] = s, r[e] = o;
  }
  /**
   * FIXME empty description for jsdoc
   */
  reprioritize() {
    const t = this.priorityFunction_, e = this.elements_, n = this.priorities_;
    let r = 0;
    const s = e.length;
    let o, a, l;
    for (a = 0; a < s; ++a)
      o = e[a], l = t(o), l == ha ? delete this.queuedElements_[this.keyFunction_(o)] : (n[r] = l, e[r++] = o);
    e.length = r, n.length = r, this.heapify_();
  }
}
class Sp extends Ep {
  /**
   * @param {PriorityFunction} tilePriorityFunction Tile priority function.
   * @param {function(): ?} tileChangeCallback Function called on each tile change event.
   */
  constructor(t, e) {
    super(
      (n) => t.apply(null, n),
      (n) => n[0].getKey()
    ), this.boundHandleTileChange_ = this.handleTileChange.bind(this), this.tileChangeCallback_ = e, this.tilesLoading_ = 0, this.tilesLoadingKeys_ = {};
  }
  /**
   * @param {TileQueueElement} element Element.
   * @return {boolean} The element was added to the queue.
   * @override
   */
  enqueue(t) {
    const e = super.enqueue(t);
    return e && t[0].addEventListener(Y.CHANGE, this.boundHandleTileChange_), e;
  }
  /**
   * @return {number} Number of tiles loading.
   */
  getTilesLoading() {
    return this.tilesLoading_;
  }
  /**
   * @param {import("./events/Event.js").default} event Event.
   * @protected
   */
  handleTileChange(t) {
    const e = (
      /** @type {import("./Tile.js").default} */
      t.target
    ), n = e.getState();
    if (n === j.LOADED || n === j.ERROR || n === j.EMPTY) {
      n !== j.ERROR && e.removeEventListener(Y.CHANGE, this.boundHandleTileChange_);
      const r = e.getKey();
      r in this.tilesLoadingKeys_ && (delete this.tilesLoadingKeys_[r], --this.tilesLoading_), this.tileChangeCallback_();
    }
  }
  /**
   * @param {number} maxTotalLoading Maximum number tiles to load simultaneously.
   * @param {number} maxNewLoads Maximum number of new tiles to load.
   */
  loadMoreTiles(t, e) {
    let n = 0;
    for (; this.tilesLoading_ < t && n < e && this.getCount() > 0; ) {
      const r = this.dequeue()[0], s = r.getKey();
      r.getState() === j.IDLE && !(s in this.tilesLoadingKeys_) && (this.tilesLoadingKeys_[s] = !0, ++this.tilesLoading_, ++n, r.load());
    }
  }
}
function Cp(i, t, e, n, r) {
  if (!i || !(e in i.wantedTiles) || !i.wantedTiles[e][t.getKey()])
    return ha;
  const s = i.viewState.center, o = n[0] - s[0], a = n[1] - s[1];
  return 65536 * Math.log(r) + Math.sqrt(o * o + a * a) / r;
}
class rl extends $e {
  /**
   * @param {Options} options Control options.
   */
  constructor(t) {
    super();
    const e = t.element;
    e && !t.target && !e.style.pointerEvents && (e.style.pointerEvents = "auto"), this.element = e || null, this.target_ = null, this.map_ = null, this.listenerKeys = [], t.render && (this.render = t.render), t.target && this.setTarget(t.target);
  }
  /**
   * Clean up.
   * @override
   */
  disposeInternal() {
    this.element?.remove(), super.disposeInternal();
  }
  /**
   * Get the map associated with this control.
   * @return {import("../Map.js").default|null} Map.
   * @api
   */
  getMap() {
    return this.map_;
  }
  /**
   * Remove the control from its current map and attach it to the new map.
   * Pass `null` to just remove the control from the current map.
   * Subclasses may set up event handlers to get notified about changes to
   * the map here.
   * @param {import("../Map.js").default|null} map Map.
   * @api
   */
  setMap(t) {
    this.map_ && this.element?.remove();
    for (let e = 0, n = this.listenerKeys.length; e < n; ++e)
      ht(this.listenerKeys[e]);
    if (this.listenerKeys.length = 0, this.map_ = t, t) {
      const e = this.target_ ?? t.getOverlayContainerStopEvent();
      this.element && e.appendChild(this.element), this.render !== ur && this.listenerKeys.push(
        tt(t, _n.POSTRENDER, this.render, this)
      ), t.render();
    }
  }
  /**
   * Renders the control.
   * @param {import("../MapEvent.js").default} mapEvent Map event.
   * @api
   */
  render(t) {
  }
  /**
   * This function is used to set a target element for the control. It has no
   * effect if it is called after the control has been added to the map (i.e.
   * after `setMap` is called on the control). If no `target` is set in the
   * options passed to the control constructor and if `setTarget` is not called
   * then the control is added to the map's overlay container.
   * @param {HTMLElement|string} target Target.
   * @api
   */
  setTarget(t) {
    this.target_ = typeof t == "string" ? document.getElementById(t) : t;
  }
}
class du extends rl {
  /**
   * @param {Options} [options] Attribution options.
   */
  constructor(t) {
    t = t || {}, super({
      element: document.createElement("div"),
      render: t.render,
      target: t.target
    }), this.ulElement_ = document.createElement("ul"), this.collapsed_ = t.collapsed !== void 0 ? t.collapsed : !0, this.userCollapsed_ = this.collapsed_, this.overrideCollapsible_ = t.collapsible !== void 0, this.collapsible_ = t.collapsible !== void 0 ? t.collapsible : !0, this.collapsible_ || (this.collapsed_ = !1), this.attributions_ = t.attributions;
    const e = t.className !== void 0 ? t.className : "ol-attribution", n = t.tipLabel !== void 0 ? t.tipLabel : "Attributions", r = t.expandClassName !== void 0 ? t.expandClassName : e + "-expand", s = t.collapseLabel !== void 0 ? t.collapseLabel : "›", o = t.collapseClassName !== void 0 ? t.collapseClassName : e + "-collapse";
    typeof s == "string" ? (this.collapseLabel_ = document.createElement("span"), this.collapseLabel_.textContent = s, this.collapseLabel_.className = o) : this.collapseLabel_ = s;
    const a = t.label !== void 0 ? t.label : "i";
    typeof a == "string" ? (this.label_ = document.createElement("span"), this.label_.textContent = a, this.label_.className = r) : this.label_ = a;
    const l = this.collapsible_ && !this.collapsed_ ? this.collapseLabel_ : this.label_;
    this.toggleButton_ = document.createElement("button"), this.toggleButton_.setAttribute("type", "button"), this.toggleButton_.setAttribute("aria-expanded", String(!this.collapsed_)), this.toggleButton_.title = n, this.toggleButton_.appendChild(l), this.toggleButton_.addEventListener(
      Y.CLICK,
      this.handleClick_.bind(this),
      !1
    );
    const h = e + " " + js + " " + Va + (this.collapsed_ && this.collapsible_ ? " " + Jl : "") + (this.collapsible_ ? "" : " ol-uncollapsible"), c = this.element;
    c.className = h, c.appendChild(this.toggleButton_), c.appendChild(this.ulElement_), this.renderedAttributions_ = [], this.renderedVisible_ = !0;
  }
  /**
   * Collect a list of visible attributions and set the collapsible state.
   * @param {import("../Map.js").FrameState} frameState Frame state.
   * @return {Array<string>} Attributions.
   * @private
   */
  collectSourceAttributions_(t) {
    const e = this.getMap().getAllLayers(), n = new Set(
      e.flatMap((r) => r.getAttributions(t))
    );
    if (this.attributions_ !== void 0 && (Array.isArray(this.attributions_) ? this.attributions_.forEach((r) => n.add(r)) : n.add(this.attributions_)), !this.overrideCollapsible_) {
      const r = !e.some(
        (s) => s.getSource()?.getAttributionsCollapsible() === !1
      );
      this.setCollapsible(r);
    }
    return Array.from(n);
  }
  /**
   * @private
   * @param {?import("../Map.js").FrameState} frameState Frame state.
   */
  async updateElement_(t) {
    if (!t) {
      this.renderedVisible_ && (this.element.style.display = "none", this.renderedVisible_ = !1);
      return;
    }
    const e = await Promise.all(
      this.collectSourceAttributions_(t).map(
        (r) => Fg(() => r)
      )
    ), n = e.length > 0;
    if (this.renderedVisible_ != n && (this.element.style.display = n ? "" : "none", this.renderedVisible_ = n), !ze(e, this.renderedAttributions_)) {
      of(this.ulElement_);
      for (let r = 0, s = e.length; r < s; ++r) {
        const o = document.createElement("li");
        o.innerHTML = e[r], this.ulElement_.appendChild(o);
      }
      this.renderedAttributions_ = e;
    }
  }
  /**
   * @param {MouseEvent} event The event to handle
   * @private
   */
  handleClick_(t) {
    t.preventDefault(), this.handleToggle_(), this.userCollapsed_ = this.collapsed_;
  }
  /**
   * @private
   */
  handleToggle_() {
    this.element.classList.toggle(Jl), this.collapsed_ ? Hl(this.collapseLabel_, this.label_) : Hl(this.label_, this.collapseLabel_), this.collapsed_ = !this.collapsed_, this.toggleButton_.setAttribute("aria-expanded", String(!this.collapsed_));
  }
  /**
   * Return `true` if the attribution is collapsible, `false` otherwise.
   * @return {boolean} True if the widget is collapsible.
   * @api
   */
  getCollapsible() {
    return this.collapsible_;
  }
  /**
   * Set whether the attribution should be collapsible.
   * @param {boolean} collapsible True if the widget is collapsible.
   * @api
   */
  setCollapsible(t) {
    this.collapsible_ !== t && (this.collapsible_ = t, this.element.classList.toggle("ol-uncollapsible"), this.userCollapsed_ && this.handleToggle_());
  }
  /**
   * Collapse or expand the attribution according to the passed parameter. Will
   * not do anything if the attribution isn't collapsible or if the current
   * collapsed state is already the one requested.
   * @param {boolean} collapsed True if the widget is collapsed.
   * @api
   */
  setCollapsed(t) {
    this.userCollapsed_ = t, !(!this.collapsible_ || this.collapsed_ === t) && this.handleToggle_();
  }
  /**
   * Return `true` when the attribution is currently collapsed or `false`
   * otherwise.
   * @return {boolean} True if the widget is collapsed.
   * @api
   */
  getCollapsed() {
    return this.collapsed_;
  }
  /**
   * Update the attribution element.
   * @param {import("../MapEvent.js").default} mapEvent Map event.
   * @override
   */
  render(t) {
    this.updateElement_(t.frameState);
  }
}
class Tp extends rl {
  /**
   * @param {Options} [options] Rotate options.
   */
  constructor(t) {
    t = t || {}, super({
      element: document.createElement("div"),
      render: t.render,
      target: t.target
    });
    const e = t.className !== void 0 ? t.className : "ol-rotate", n = t.label !== void 0 ? t.label : "⇧", r = t.compassClassName !== void 0 ? t.compassClassName : "ol-compass";
    this.label_ = null, typeof n == "string" ? (this.label_ = document.createElement("span"), this.label_.className = r, this.label_.textContent = n) : (this.label_ = n, this.label_.classList.add(r));
    const s = t.tipLabel ? t.tipLabel : "Reset rotation", o = document.createElement("button");
    o.className = e + "-reset", o.setAttribute("type", "button"), o.title = s, o.appendChild(this.label_), o.addEventListener(
      Y.CLICK,
      this.handleClick_.bind(this),
      !1
    );
    const a = e + " " + js + " " + Va, l = this.element;
    l.className = a, l.appendChild(o), this.callResetNorth_ = t.resetNorth ? t.resetNorth : void 0, this.duration_ = t.duration !== void 0 ? t.duration : 250, this.autoHide_ = t.autoHide !== void 0 ? t.autoHide : !0, this.rotation_ = void 0, this.autoHide_ && this.element.classList.add(Kr);
  }
  /**
   * @param {MouseEvent} event The event to handle
   * @private
   */
  handleClick_(t) {
    t.preventDefault(), this.callResetNorth_ !== void 0 ? this.callResetNorth_() : this.resetNorth_();
  }
  /**
   * @private
   */
  resetNorth_() {
    const t = this.getMap().getView();
    if (!t)
      return;
    const e = t.getRotation();
    e !== void 0 && (this.duration_ > 0 && e % (2 * Math.PI) !== 0 ? t.animate({
      rotation: 0,
      duration: this.duration_,
      easing: pe
    }) : t.setRotation(0));
  }
  /**
   * Update the rotate control element.
   * @param {import("../MapEvent.js").default} mapEvent Map event.
   * @override
   */
  render(t) {
    const e = t.frameState;
    if (!e)
      return;
    const n = e.viewState.rotation;
    if (n != this.rotation_) {
      const r = "rotate(" + n + "rad)";
      if (this.autoHide_) {
        const s = this.element.classList.contains(Kr);
        !s && n === 0 ? this.element.classList.add(Kr) : s && n !== 0 && this.element.classList.remove(Kr);
      }
      this.label_.style.transform = r;
    }
    this.rotation_ = n;
  }
}
class gu extends rl {
  /**
   * @param {Options} [options] Zoom options.
   */
  constructor(t) {
    t = t || {}, super({
      element: document.createElement("div"),
      target: t.target
    });
    const e = t.className !== void 0 ? t.className : "ol-zoom", n = t.delta !== void 0 ? t.delta : 1, r = t.zoomInClassName !== void 0 ? t.zoomInClassName : e + "-in", s = t.zoomOutClassName !== void 0 ? t.zoomOutClassName : e + "-out", o = t.zoomInLabel !== void 0 ? t.zoomInLabel : "+", a = t.zoomOutLabel !== void 0 ? t.zoomOutLabel : "–", l = t.zoomInTipLabel !== void 0 ? t.zoomInTipLabel : "Zoom in", h = t.zoomOutTipLabel !== void 0 ? t.zoomOutTipLabel : "Zoom out", c = document.createElement("button");
    c.className = r, c.setAttribute("type", "button"), c.title = l, c.appendChild(
      typeof o == "string" ? document.createTextNode(o) : o
    ), c.addEventListener(
      Y.CLICK,
      this.handleClick_.bind(this, n),
      !1
    );
    const u = document.createElement("button");
    u.className = s, u.setAttribute("type", "button"), u.title = h, u.appendChild(
      typeof a == "string" ? document.createTextNode(a) : a
    ), u.addEventListener(
      Y.CLICK,
      this.handleClick_.bind(this, -n),
      !1
    );
    const d = e + " " + js + " " + Va, g = this.element;
    g.className = d, g.appendChild(c), g.appendChild(u), this.duration_ = t.duration !== void 0 ? t.duration : 250;
  }
  /**
   * @param {number} delta Zoom delta.
   * @param {MouseEvent} event The event to handle
   * @private
   */
  handleClick_(t, e) {
    e.preventDefault(), this.zoomByDelta_(t);
  }
  /**
   * @param {number} delta Zoom delta.
   * @private
   */
  zoomByDelta_(t) {
    const e = this.getMap().getView();
    if (!e)
      return;
    const n = e.getZoom();
    if (n !== void 0) {
      const r = e.getConstrainedZoom(n + t);
      this.duration_ > 0 ? (e.getAnimating() && e.cancelAnimations(), e.animate({
        zoom: r,
        duration: this.duration_,
        easing: pe
      })) : e.setZoom(r);
    }
  }
}
function wp(i) {
  i = i || {};
  const t = new Nt();
  return (i.zoom === void 0 || i.zoom) && t.push(new gu(i.zoomOptions)), (i.rotate === void 0 || i.rotate) && t.push(new Tp(i.rotateOptions)), (i.attribution === void 0 || i.attribution) && t.push(new du(i.attributionOptions)), t;
}
const ca = {
  ACTIVE: "active"
};
class Br extends $e {
  /**
   * @param {InteractionOptions} [options] Options.
   */
  constructor(t) {
    super(), this.on, this.once, this.un, t && t.handleEvent && (this.handleEvent = t.handleEvent), this.map_ = null, this.setActive(!0);
  }
  /**
   * Return whether the interaction is currently active.
   * @return {boolean} `true` if the interaction is active, `false` otherwise.
   * @observable
   * @api
   */
  getActive() {
    return (
      /** @type {boolean} */
      this.get(ca.ACTIVE)
    );
  }
  /**
   * Get the map associated with this interaction.
   * @return {import("../Map.js").default|null} Map.
   * @api
   */
  getMap() {
    return this.map_;
  }
  /**
   * Handles the {@link module:ol/MapBrowserEvent~MapBrowserEvent map browser event}.
   * @param {import("../MapBrowserEvent.js").default} mapBrowserEvent Map browser event.
   * @return {boolean} `false` to stop event propagation.
   * @api
   */
  handleEvent(t) {
    return !0;
  }
  /**
   * Activate or deactivate the interaction.
   * @param {boolean} active Active.
   * @observable
   * @api
   */
  setActive(t) {
    this.set(ca.ACTIVE, t);
  }
  /**
   * Remove the interaction from its current map and attach it to the new map.
   * Subclasses may set up event handlers to get notified about changes to
   * the map here.
   * @param {import("../Map.js").default|null} map Map.
   */
  setMap(t) {
    this.map_ = t;
  }
}
function Rp(i, t, e) {
  const n = i.getCenterInternal();
  if (n) {
    const r = [n[0] + t[0], n[1] + t[1]];
    i.animateInternal({
      duration: e !== void 0 ? e : 250,
      easing: ap,
      center: i.getConstrainedCenter(r)
    });
  }
}
function sl(i, t, e, n) {
  const r = i.getZoom();
  if (r === void 0)
    return;
  const s = i.getConstrainedZoom(r + t), o = i.getResolutionForZoom(s);
  i.getAnimating() && i.cancelAnimations(), i.animate({
    resolution: o,
    anchor: e,
    duration: n !== void 0 ? n : 250,
    easing: pe
  });
}
class bp extends Br {
  /**
   * @param {Options} [options] Options.
   */
  constructor(t) {
    super(), t = t || {}, this.delta_ = t.delta ? t.delta : 1, this.duration_ = t.duration !== void 0 ? t.duration : 250;
  }
  /**
   * Handles the {@link module:ol/MapBrowserEvent~MapBrowserEvent map browser event} (if it was a
   * doubleclick) and eventually zooms the map.
   * @param {import("../MapBrowserEvent.js").default} mapBrowserEvent Map browser event.
   * @return {boolean} `false` to stop event propagation.
   * @override
   */
  handleEvent(t) {
    let e = !1;
    if (t.type == lt.DBLCLICK) {
      const n = (
        /** @type {MouseEvent} */
        t.originalEvent
      ), r = t.map, s = t.coordinate, o = n.shiftKey ? -this.delta_ : this.delta_, a = r.getView();
      sl(a, o, s, this.duration_), n.preventDefault(), e = !0;
    }
    return !e;
  }
}
function ua(i) {
  const t = arguments;
  return function(e) {
    let n = !0;
    for (let r = 0, s = t.length; r < s && (n = n && t[r](e), !!n); ++r)
      ;
    return n;
  };
}
const Pp = function(i) {
  const t = i.originalEvent;
  return t.altKey && !(t.metaKey || t.ctrlKey) && !t.shiftKey;
}, Ap = function(i) {
  const t = i.originalEvent;
  return t.altKey && !(t.metaKey || t.ctrlKey) && t.shiftKey;
}, Fp = function(i) {
  const t = i.map.getTargetElement(), e = t.getRootNode(), n = i.map.getOwnerDocument().activeElement;
  return e instanceof ShadowRoot ? e.host.contains(n) : t.contains(n);
}, fu = function(i) {
  const t = i.map.getTargetElement(), e = t.getRootNode();
  return (e instanceof ShadowRoot ? e.host : t).hasAttribute("tabindex") ? Fp(i) : !0;
}, ws = zn, _u = function(i) {
  const t = i.originalEvent;
  return "pointerId" in t && t.button == 0 && !(rf && Oc && t.ctrlKey);
}, Ip = Mr, Mp = function(i) {
  return i.type == lt.SINGLECLICK;
}, pu = function(i) {
  const t = (
    /** @type {KeyboardEvent|MouseEvent|TouchEvent} */
    i.originalEvent
  );
  return !t.altKey && !(t.metaKey || t.ctrlKey) && !t.shiftKey;
}, Lp = function(i) {
  const t = i.originalEvent;
  return Oc ? t.metaKey : t.ctrlKey;
}, Dp = function(i) {
  const t = i.originalEvent;
  return !t.altKey && !(t.metaKey || t.ctrlKey) && t.shiftKey;
}, mu = function(i) {
  const t = i.originalEvent, e = (
    /** @type {Element} */
    t.target.tagName
  );
  return e !== "INPUT" && e !== "SELECT" && e !== "TEXTAREA" && // `isContentEditable` is only available on `HTMLElement`, but it may also be a
  // different type like `SVGElement`.
  // @ts-ignore
  !t.target.isContentEditable;
}, To = function(i) {
  const t = i.originalEvent;
  return "pointerId" in t && t.pointerType == "mouse";
}, yu = function(i) {
  const t = i.originalEvent;
  return "pointerId" in t && t.isPrimary && t.button === 0;
};
class Kn extends Br {
  /**
   * @param {Options} [options] Options.
   */
  constructor(t) {
    t = t || {}, super(
      /** @type {import("./Interaction.js").InteractionOptions} */
      t
    ), t.handleDownEvent && (this.handleDownEvent = t.handleDownEvent), t.handleDragEvent && (this.handleDragEvent = t.handleDragEvent), t.handleMoveEvent && (this.handleMoveEvent = t.handleMoveEvent), t.handleUpEvent && (this.handleUpEvent = t.handleUpEvent), t.stopDown && (this.stopDown = t.stopDown), this.handlingDownUpSequence = !1, this.targetPointers = [];
  }
  /**
   * Returns the current number of pointers involved in the interaction,
   * e.g. `2` when two fingers are used.
   * @return {number} The number of pointers.
   * @api
   */
  getPointerCount() {
    return this.targetPointers.length;
  }
  /**
   * Handle pointer down events.
   * @param {import("../MapBrowserEvent.js").default} mapBrowserEvent Event.
   * @return {boolean} If the event was consumed.
   * @protected
   */
  handleDownEvent(t) {
    return !1;
  }
  /**
   * Handle pointer drag events.
   * @param {import("../MapBrowserEvent.js").default} mapBrowserEvent Event.
   * @protected
   */
  handleDragEvent(t) {
  }
  /**
   * Handles the {@link module:ol/MapBrowserEvent~MapBrowserEvent map browser event} and may call into
   * other functions, if event sequences like e.g. 'drag' or 'down-up' etc. are
   * detected.
   * @param {import("../MapBrowserEvent.js").default} mapBrowserEvent Map browser event.
   * @return {boolean} `false` to stop event propagation.
   * @api
   * @override
   */
  handleEvent(t) {
    if (!t.originalEvent)
      return !0;
    let e = !1;
    if (this.updateTrackedPointers_(t), this.handlingDownUpSequence) {
      if (t.type == lt.POINTERDRAG)
        this.handleDragEvent(t), t.originalEvent.preventDefault();
      else if (t.type == lt.POINTERUP) {
        const n = this.handleUpEvent(t);
        this.handlingDownUpSequence = n && this.targetPointers.length > 0;
      }
    } else if (t.type == lt.POINTERDOWN) {
      const n = this.handleDownEvent(t);
      this.handlingDownUpSequence = n, e = this.stopDown(n);
    } else t.type == lt.POINTERMOVE && this.handleMoveEvent(t);
    return !e;
  }
  /**
   * Handle pointer move events.
   * @param {import("../MapBrowserEvent.js").default} mapBrowserEvent Event.
   * @protected
   */
  handleMoveEvent(t) {
  }
  /**
   * Handle pointer up events.
   * @param {import("../MapBrowserEvent.js").default} mapBrowserEvent Event.
   * @return {boolean} If the event was consumed.
   * @protected
   */
  handleUpEvent(t) {
    return !1;
  }
  /**
   * This function is used to determine if "down" events should be propagated
   * to other interactions or should be stopped.
   * @param {boolean} handled Was the event handled by the interaction?
   * @return {boolean} Should the `down` event be stopped?
   */
  stopDown(t) {
    return t;
  }
  /**
   * @param {import("../MapBrowserEvent.js").default} mapBrowserEvent Event.
   * @private
   */
  updateTrackedPointers_(t) {
    t.activePointers && (this.targetPointers = t.activePointers);
  }
}
function ol(i) {
  const t = i.length;
  let e = 0, n = 0;
  for (let r = 0; r < t; r++)
    e += i[r].clientX, n += i[r].clientY;
  return { clientX: e / t, clientY: n / t };
}
class Op extends Kn {
  /**
   * @param {Options} [options] Options.
   */
  constructor(t) {
    super({
      stopDown: Mr
    }), t = t || {}, this.kinetic_ = t.kinetic, this.lastCentroid = null, this.lastPointersCount_, this.panning_ = !1;
    const e = t.condition ? t.condition : ua(pu, yu);
    this.condition_ = t.onFocusOnly ? ua(fu, e) : e, this.noKinetic_ = !1;
  }
  /**
   * Handle pointer drag events.
   * @param {import("../MapBrowserEvent.js").default} mapBrowserEvent Event.
   * @override
   */
  handleDragEvent(t) {
    const e = t.map;
    this.panning_ || (this.panning_ = !0, e.getView().beginInteraction());
    const n = this.targetPointers, r = e.getEventPixel(ol(n));
    if (n.length == this.lastPointersCount_) {
      if (this.kinetic_ && this.kinetic_.update(r[0], r[1]), this.lastCentroid) {
        const s = [
          this.lastCentroid[0] - r[0],
          r[1] - this.lastCentroid[1]
        ], o = t.map.getView();
        Ed(s, o.getResolution()), Sa(s, o.getRotation()), o.adjustCenterInternal(s);
      }
    } else this.kinetic_ && this.kinetic_.begin();
    this.lastCentroid = r, this.lastPointersCount_ = n.length, t.originalEvent.preventDefault();
  }
  /**
   * Handle pointer up events.
   * @param {import("../MapBrowserEvent.js").default} mapBrowserEvent Event.
   * @return {boolean} If the event was consumed.
   * @override
   */
  handleUpEvent(t) {
    const e = t.map, n = e.getView();
    if (this.targetPointers.length === 0) {
      if (!this.noKinetic_ && this.kinetic_ && this.kinetic_.end()) {
        const r = this.kinetic_.getDistance(), s = this.kinetic_.getAngle(), o = n.getCenterInternal(), a = e.getPixelFromCoordinateInternal(o), l = e.getCoordinateFromPixelInternal([
          a[0] - r * Math.cos(s),
          a[1] - r * Math.sin(s)
        ]);
        n.animateInternal({
          center: n.getConstrainedCenter(l),
          duration: 500,
          easing: pe
        });
      }
      return this.panning_ && (this.panning_ = !1, n.endInteraction()), !1;
    }
    return this.kinetic_ && this.kinetic_.begin(), this.lastCentroid = null, !0;
  }
  /**
   * Handle pointer down events.
   * @param {import("../MapBrowserEvent.js").default} mapBrowserEvent Event.
   * @return {boolean} If the event was consumed.
   * @override
   */
  handleDownEvent(t) {
    if (this.targetPointers.length > 0 && this.condition_(t)) {
      const e = t.map.getView();
      return this.lastCentroid = null, e.getAnimating() && e.cancelAnimations(), this.kinetic_ && this.kinetic_.begin(), this.noKinetic_ = this.targetPointers.length > 1, !0;
    }
    return !1;
  }
}
class kp extends Kn {
  /**
   * @param {Options} [options] Options.
   */
  constructor(t) {
    t = t || {}, super({
      stopDown: Mr
    }), this.condition_ = t.condition ? t.condition : Ap, this.lastAngle_ = void 0, this.duration_ = t.duration !== void 0 ? t.duration : 250;
  }
  /**
   * Handle pointer drag events.
   * @param {import("../MapBrowserEvent.js").default} mapBrowserEvent Event.
   * @override
   */
  handleDragEvent(t) {
    if (!To(t))
      return;
    const e = t.map, n = e.getView();
    if (n.getConstraints().rotation === Qa)
      return;
    const r = e.getSize(), s = t.pixel, o = Math.atan2(r[1] / 2 - s[1], s[0] - r[0] / 2);
    if (this.lastAngle_ !== void 0) {
      const a = o - this.lastAngle_;
      n.adjustRotationInternal(-a);
    }
    this.lastAngle_ = o;
  }
  /**
   * Handle pointer up events.
   * @param {import("../MapBrowserEvent.js").default} mapBrowserEvent Event.
   * @return {boolean} If the event was consumed.
   * @override
   */
  handleUpEvent(t) {
    return To(t) ? (t.map.getView().endInteraction(this.duration_), !1) : !0;
  }
  /**
   * Handle pointer down events.
   * @param {import("../MapBrowserEvent.js").default} mapBrowserEvent Event.
   * @return {boolean} If the event was consumed.
   * @override
   */
  handleDownEvent(t) {
    return To(t) && _u(t) && this.condition_(t) ? (t.map.getView().beginInteraction(), this.lastAngle_ = void 0, !0) : !1;
  }
}
class Np extends Ir {
  /**
   * @param {string} className CSS class name.
   */
  constructor(t) {
    super(), this.geometry_ = null, this.element_ = document.createElement("div"), this.element_.style.position = "absolute", this.element_.style.pointerEvents = "auto", this.element_.className = "ol-box " + t, this.map_ = null, this.startPixel_ = null, this.endPixel_ = null;
  }
  /**
   * Clean up.
   * @override
   */
  disposeInternal() {
    this.setMap(null);
  }
  /**
   * @private
   */
  render_() {
    const t = this.startPixel_, e = this.endPixel_, n = "px", r = this.element_.style;
    r.left = Math.min(t[0], e[0]) + n, r.top = Math.min(t[1], e[1]) + n, r.width = Math.abs(e[0] - t[0]) + n, r.height = Math.abs(e[1] - t[1]) + n;
  }
  /**
   * @param {import("../Map.js").default|null} map Map.
   */
  setMap(t) {
    if (this.map_) {
      this.map_.getOverlayContainer().removeChild(this.element_);
      const e = this.element_.style;
      e.left = "inherit", e.top = "inherit", e.width = "inherit", e.height = "inherit";
    }
    this.map_ = t, this.map_ && this.map_.getOverlayContainer().appendChild(this.element_);
  }
  /**
   * @param {import("../pixel.js").Pixel} startPixel Start pixel.
   * @param {import("../pixel.js").Pixel} endPixel End pixel.
   */
  setPixels(t, e) {
    this.startPixel_ = t, this.endPixel_ = e, this.createOrUpdateGeometry(), this.render_();
  }
  /**
   * Creates or updates the cached geometry.
   */
  createOrUpdateGeometry() {
    if (!this.map_)
      return;
    const t = this.startPixel_, e = this.endPixel_, n = [
      t,
      [t[0], e[1]],
      e,
      [e[0], t[1]]
    ].map(
      this.map_.getCoordinateFromPixelInternal,
      this.map_
    );
    n[4] = n[0].slice(), this.geometry_ ? this.geometry_.setCoordinates([n]) : this.geometry_ = new ie([n]);
  }
  /**
   * @return {import("../geom/Polygon.js").default} Geometry.
   */
  getGeometry() {
    return this.geometry_;
  }
}
const ri = {
  /**
   * Triggered upon drag box start.
   * @event DragBoxEvent#boxstart
   * @api
   */
  BOXSTART: "boxstart",
  /**
   * Triggered on drag when box is active.
   * @event DragBoxEvent#boxdrag
   * @api
   */
  BOXDRAG: "boxdrag",
  /**
   * Triggered upon drag box end.
   * @event DragBoxEvent#boxend
   * @api
   */
  BOXEND: "boxend",
  /**
   * Triggered upon drag box canceled.
   * @event DragBoxEvent#boxcancel
   * @api
   */
  BOXCANCEL: "boxcancel"
};
class Vi extends Pe {
  /**
   * @param {string} type The event type.
   * @param {import("../coordinate.js").Coordinate} coordinate The event coordinate.
   * @param {import("../MapBrowserEvent.js").default} mapBrowserEvent Originating event.
   */
  constructor(t, e, n) {
    super(t), this.coordinate = e, this.mapBrowserEvent = n;
  }
}
class Gp extends Kn {
  /**
   * @param {Options} [options] Options.
   */
  constructor(t) {
    super(), this.on, this.once, this.un, t = t ?? {}, this.box_ = new Np(t.className || "ol-dragbox"), this.minArea_ = t.minArea ?? 64, t.onBoxEnd && (this.onBoxEnd = t.onBoxEnd), this.startPixel_ = null, this.condition_ = t.condition ?? _u, this.boxEndCondition_ = t.boxEndCondition ?? this.defaultBoxEndCondition;
  }
  /**
   * The default condition for determining whether the boxend event
   * should fire.
   * @param {import("../MapBrowserEvent.js").default} mapBrowserEvent The originating MapBrowserEvent
   *     leading to the box end.
   * @param {import("../pixel.js").Pixel} startPixel The starting pixel of the box.
   * @param {import("../pixel.js").Pixel} endPixel The end pixel of the box.
   * @return {boolean} Whether or not the boxend condition should be fired.
   */
  defaultBoxEndCondition(t, e, n) {
    const r = n[0] - e[0], s = n[1] - e[1];
    return r * r + s * s >= this.minArea_;
  }
  /**
   * Returns geometry of last drawn box.
   * @return {import("../geom/Polygon.js").default} Geometry.
   * @api
   */
  getGeometry() {
    return this.box_.getGeometry();
  }
  /**
   * Handle pointer drag events.
   * @param {import("../MapBrowserEvent.js").default} mapBrowserEvent Event.
   * @override
   */
  handleDragEvent(t) {
    this.startPixel_ && (this.box_.setPixels(this.startPixel_, t.pixel), this.dispatchEvent(
      new Vi(
        ri.BOXDRAG,
        t.coordinate,
        t
      )
    ));
  }
  /**
   * Handle pointer up events.
   * @param {import("../MapBrowserEvent.js").default} mapBrowserEvent Event.
   * @return {boolean} If the event was consumed.
   * @override
   */
  handleUpEvent(t) {
    if (!this.startPixel_)
      return !1;
    const e = this.boxEndCondition_(
      t,
      this.startPixel_,
      t.pixel
    );
    return e && this.onBoxEnd(t), this.dispatchEvent(
      new Vi(
        e ? ri.BOXEND : ri.BOXCANCEL,
        t.coordinate,
        t
      )
    ), this.box_.setMap(null), this.startPixel_ = null, !1;
  }
  /**
   * Handle pointer down events.
   * @param {import("../MapBrowserEvent.js").default} mapBrowserEvent Event.
   * @return {boolean} If the event was consumed.
   * @override
   */
  handleDownEvent(t) {
    return this.condition_(t) ? (this.startPixel_ = t.pixel, this.box_.setMap(t.map), this.box_.setPixels(this.startPixel_, this.startPixel_), this.dispatchEvent(
      new Vi(
        ri.BOXSTART,
        t.coordinate,
        t
      )
    ), !0) : !1;
  }
  /**
   * Function to execute just before `onboxend` is fired
   * @param {import("../MapBrowserEvent.js").default} event Event.
   */
  onBoxEnd(t) {
  }
  /**
   * Activate or deactivate the interaction.
   * @param {boolean} active Active.
   * @observable
   * @api
   * @override
   */
  setActive(t) {
    t || (this.box_.setMap(null), this.startPixel_ && (this.dispatchEvent(
      new Vi(ri.BOXCANCEL, this.startPixel_, null)
    ), this.startPixel_ = null)), super.setActive(t);
  }
  /**
   * @param {import("../Map.js").default|null} map Map.
   * @override
   */
  setMap(t) {
    this.getMap() && (this.box_.setMap(null), this.startPixel_ && (this.dispatchEvent(
      new Vi(ri.BOXCANCEL, this.startPixel_, null)
    ), this.startPixel_ = null)), super.setMap(t);
  }
}
class Bp extends Gp {
  /**
   * @param {Options} [options] Options.
   */
  constructor(t) {
    t = t || {};
    const e = t.condition ? t.condition : Dp;
    super({
      condition: e,
      className: t.className || "ol-dragzoom",
      minArea: t.minArea
    }), this.duration_ = t.duration !== void 0 ? t.duration : 200, this.out_ = t.out !== void 0 ? t.out : !1;
  }
  /**
   * Function to execute just before `onboxend` is fired
   * @param {import("../MapBrowserEvent.js").default} event Event.
   * @override
   */
  onBoxEnd(t) {
    const e = (
      /** @type {!import("../View.js").default} */
      this.getMap().getView()
    );
    let n = this.getGeometry();
    if (this.out_) {
      const r = e.rotatedExtentForGeometry(n), s = e.getResolutionForExtentInternal(r), o = e.getResolution() / s;
      n = n.clone(), n.scale(o * o);
    }
    e.fitInternal(n, {
      duration: this.duration_,
      easing: pe
    });
  }
}
const Pn = {
  LEFT: "ArrowLeft",
  UP: "ArrowUp",
  RIGHT: "ArrowRight",
  DOWN: "ArrowDown"
};
class Up extends Br {
  /**
   * @param {Options} [options] Options.
   */
  constructor(t) {
    super(), t = t || {}, this.defaultCondition_ = function(e) {
      return pu(e) && mu(e);
    }, this.condition_ = t.condition !== void 0 ? t.condition : this.defaultCondition_, this.duration_ = t.duration !== void 0 ? t.duration : 100, this.pixelDelta_ = t.pixelDelta !== void 0 ? t.pixelDelta : 128;
  }
  /**
   * Handles the {@link module:ol/MapBrowserEvent~MapBrowserEvent map browser event} if it was a
   * `KeyEvent`, and decides the direction to pan to (if an arrow key was
   * pressed).
   * @param {import("../MapBrowserEvent.js").default} mapBrowserEvent Map browser event.
   * @return {boolean} `false` to stop event propagation.
   * @override
   */
  handleEvent(t) {
    let e = !1;
    if (t.type == Y.KEYDOWN) {
      const n = (
        /** @type {KeyboardEvent} */
        t.originalEvent
      ), r = n.key;
      if (this.condition_(t) && (r == Pn.DOWN || r == Pn.LEFT || r == Pn.RIGHT || r == Pn.UP)) {
        const s = t.map.getView(), o = s.getResolution() * this.pixelDelta_;
        let a = 0, l = 0;
        r == Pn.DOWN ? l = -o : r == Pn.LEFT ? a = -o : r == Pn.RIGHT ? a = o : l = o;
        const h = [a, l];
        Sa(h, s.getRotation()), Rp(s, h, this.duration_), n.preventDefault(), e = !0;
      }
    }
    return !e;
  }
}
class zp extends Br {
  /**
   * @param {Options} [options] Options.
   */
  constructor(t) {
    super(), t = t || {}, this.condition_ = t.condition ? t.condition : function(e) {
      return !Lp(e) && mu(e);
    }, this.delta_ = t.delta ? t.delta : 1, this.duration_ = t.duration !== void 0 ? t.duration : 100;
  }
  /**
   * Handles the {@link module:ol/MapBrowserEvent~MapBrowserEvent map browser event} if it was a
   * `KeyEvent`, and decides whether to zoom in or out (depending on whether the
   * key pressed was '+' or '-').
   * @param {import("../MapBrowserEvent.js").default} mapBrowserEvent Map browser event.
   * @return {boolean} `false` to stop event propagation.
   * @override
   */
  handleEvent(t) {
    let e = !1;
    if (t.type == Y.KEYDOWN || t.type == Y.KEYPRESS) {
      const n = (
        /** @type {KeyboardEvent} */
        t.originalEvent
      ), r = n.key;
      if (this.condition_(t) && (r === "+" || r === "-")) {
        const s = t.map, o = r === "+" ? this.delta_ : -this.delta_, a = s.getView();
        sl(a, o, void 0, this.duration_), n.preventDefault(), e = !0;
      }
    }
    return !e;
  }
}
const $p = 40, jp = 300;
class Vp extends Br {
  /**
   * @param {Options} [options] Options.
   */
  constructor(t) {
    t = t || {}, super(
      /** @type {import("./Interaction.js").InteractionOptions} */
      t
    ), this.totalDelta_ = 0, this.lastDelta_ = 0, this.maxDelta_ = t.maxDelta !== void 0 ? t.maxDelta : 1, this.duration_ = t.duration !== void 0 ? t.duration : 250, this.timeout_ = t.timeout !== void 0 ? t.timeout : 80, this.useAnchor_ = t.useAnchor !== void 0 ? t.useAnchor : !0, this.constrainResolution_ = t.constrainResolution !== void 0 ? t.constrainResolution : !1;
    const e = t.condition ? t.condition : ws;
    this.condition_ = t.onFocusOnly ? ua(fu, e) : e, this.lastAnchor_ = null, this.startTime_ = void 0, this.timeoutId_, this.mode_ = void 0, this.trackpadEventGap_ = 400, this.trackpadTimeoutId_, this.deltaPerZoom_ = 300;
  }
  /**
   * @private
   */
  endInteraction_() {
    this.trackpadTimeoutId_ = void 0;
    const t = this.getMap();
    t && t.getView().endInteraction(
      void 0,
      this.lastDelta_ ? this.lastDelta_ > 0 ? 1 : -1 : 0,
      this.lastAnchor_ ? t.getCoordinateFromPixel(this.lastAnchor_) : null
    );
  }
  /**
   * Handles the {@link module:ol/MapBrowserEvent~MapBrowserEvent map browser event} (if it was a mousewheel-event) and eventually
   * zooms the map.
   * @param {import("../MapBrowserEvent.js").default} mapBrowserEvent Map browser event.
   * @return {boolean} `false` to stop event propagation.
   * @override
   */
  handleEvent(t) {
    if (!this.condition_(t) || t.type !== Y.WHEEL)
      return !0;
    const e = t.map, n = (
      /** @type {WheelEvent} */
      t.originalEvent
    );
    n.preventDefault(), this.useAnchor_ && (this.lastAnchor_ = t.pixel);
    let r = n.deltaY;
    switch (n.deltaMode) {
      case WheelEvent.DOM_DELTA_LINE:
        r *= $p;
        break;
      case WheelEvent.DOM_DELTA_PAGE:
        r *= jp;
        break;
    }
    if (r === 0)
      return !1;
    this.lastDelta_ = r;
    const s = Date.now();
    this.startTime_ === void 0 && (this.startTime_ = s), (!this.mode_ || s - this.startTime_ > this.trackpadEventGap_) && (this.mode_ = Math.abs(r) < 4 ? "trackpad" : "wheel");
    const o = e.getView();
    if (this.mode_ === "trackpad" && !(o.getConstrainResolution() || this.constrainResolution_))
      return this.trackpadTimeoutId_ ? clearTimeout(this.trackpadTimeoutId_) : (o.getAnimating() && o.cancelAnimations(), o.beginInteraction()), this.trackpadTimeoutId_ = setTimeout(
        this.endInteraction_.bind(this),
        this.timeout_
      ), o.adjustZoom(
        -r / this.deltaPerZoom_,
        this.lastAnchor_ ? e.getCoordinateFromPixel(this.lastAnchor_) : null
      ), this.startTime_ = s, !1;
    this.totalDelta_ += r;
    const a = Math.max(this.timeout_ - (s - this.startTime_), 0);
    return clearTimeout(this.timeoutId_), this.timeoutId_ = setTimeout(
      this.handleWheelZoom_.bind(this, e),
      a
    ), !1;
  }
  /**
   * @private
   * @param {import("../Map.js").default} map Map.
   */
  handleWheelZoom_(t) {
    const e = t.getView();
    e.getAnimating() && e.cancelAnimations();
    let n = -dt(
      this.totalDelta_,
      -this.maxDelta_ * this.deltaPerZoom_,
      this.maxDelta_ * this.deltaPerZoom_
    ) / this.deltaPerZoom_;
    (e.getConstrainResolution() || this.constrainResolution_) && (n = n ? n > 0 ? 1 : -1 : 0), sl(
      e,
      n,
      this.lastAnchor_ ? t.getCoordinateFromPixel(this.lastAnchor_) : null,
      this.duration_
    ), this.mode_ = void 0, this.totalDelta_ = 0, this.lastAnchor_ = null, this.startTime_ = void 0, this.timeoutId_ = void 0;
  }
  /**
   * Enable or disable using the mouse's location as an anchor when zooming
   * @param {boolean} useAnchor true to zoom to the mouse's location, false
   * to zoom to the center of the map
   * @api
   */
  setMouseAnchor(t) {
    this.useAnchor_ = t, t || (this.lastAnchor_ = null);
  }
}
class Wp extends Kn {
  /**
   * @param {Options} [options] Options.
   */
  constructor(t) {
    t = t || {};
    const e = (
      /** @type {import("./Pointer.js").Options} */
      t
    );
    e.stopDown || (e.stopDown = Mr), super(e), this.anchor_ = null, this.lastAngle_ = void 0, this.rotating_ = !1, this.rotationDelta_ = 0, this.threshold_ = t.threshold !== void 0 ? t.threshold : 0.3, this.duration_ = t.duration !== void 0 ? t.duration : 250;
  }
  /**
   * Handle pointer drag events.
   * @param {import("../MapBrowserEvent.js").default} mapBrowserEvent Event.
   * @override
   */
  handleDragEvent(t) {
    let e = 0;
    const n = this.targetPointers[0], r = this.targetPointers[1], s = Math.atan2(
      r.clientY - n.clientY,
      r.clientX - n.clientX
    );
    if (this.lastAngle_ !== void 0) {
      const l = s - this.lastAngle_;
      this.rotationDelta_ += l, !this.rotating_ && Math.abs(this.rotationDelta_) > this.threshold_ && (this.rotating_ = !0), e = l;
    }
    this.lastAngle_ = s;
    const o = t.map, a = o.getView();
    a.getConstraints().rotation !== Qa && (this.anchor_ = o.getCoordinateFromPixelInternal(
      o.getEventPixel(ol(this.targetPointers))
    ), this.rotating_ && (o.render(), a.adjustRotationInternal(e, this.anchor_)));
  }
  /**
   * Handle pointer up events.
   * @param {import("../MapBrowserEvent.js").default} mapBrowserEvent Event.
   * @return {boolean} If the event was consumed.
   * @override
   */
  handleUpEvent(t) {
    return this.targetPointers.length < 2 ? (t.map.getView().endInteraction(this.duration_), !1) : !0;
  }
  /**
   * Handle pointer down events.
   * @param {import("../MapBrowserEvent.js").default} mapBrowserEvent Event.
   * @return {boolean} If the event was consumed.
   * @override
   */
  handleDownEvent(t) {
    if (this.targetPointers.length >= 2) {
      const e = t.map;
      return this.anchor_ = null, this.lastAngle_ = void 0, this.rotating_ = !1, this.rotationDelta_ = 0, this.handlingDownUpSequence || e.getView().beginInteraction(), !0;
    }
    return !1;
  }
}
class Xp extends Kn {
  /**
   * @param {Options} [options] Options.
   */
  constructor(t) {
    t = t || {};
    const e = (
      /** @type {import("./Pointer.js").Options} */
      t
    );
    e.stopDown || (e.stopDown = Mr), super(e), this.anchor_ = null, this.duration_ = t.duration !== void 0 ? t.duration : 400, this.lastDistance_ = void 0, this.lastScaleDelta_ = 1;
  }
  /**
   * Handle pointer drag events.
   * @param {import("../MapBrowserEvent.js").default} mapBrowserEvent Event.
   * @override
   */
  handleDragEvent(t) {
    let e = 1;
    const n = this.targetPointers[0], r = this.targetPointers[1], s = n.clientX - r.clientX, o = n.clientY - r.clientY, a = Math.sqrt(s * s + o * o);
    this.lastDistance_ !== void 0 && (e = this.lastDistance_ / a), this.lastDistance_ = a;
    const l = t.map, h = l.getView();
    e != 1 && (this.lastScaleDelta_ = e), this.anchor_ = l.getCoordinateFromPixelInternal(
      l.getEventPixel(ol(this.targetPointers))
    ), l.render(), h.adjustResolutionInternal(e, this.anchor_);
  }
  /**
   * Handle pointer up events.
   * @param {import("../MapBrowserEvent.js").default} mapBrowserEvent Event.
   * @return {boolean} If the event was consumed.
   * @override
   */
  handleUpEvent(t) {
    if (this.targetPointers.length < 2) {
      const e = t.map.getView(), n = this.lastScaleDelta_ > 1 ? 1 : -1;
      return e.endInteraction(this.duration_, n), !1;
    }
    return !0;
  }
  /**
   * Handle pointer down events.
   * @param {import("../MapBrowserEvent.js").default} mapBrowserEvent Event.
   * @return {boolean} If the event was consumed.
   * @override
   */
  handleDownEvent(t) {
    if (this.targetPointers.length >= 2) {
      const e = t.map;
      return this.anchor_ = null, this.lastDistance_ = void 0, this.lastScaleDelta_ = 1, this.handlingDownUpSequence || e.getView().beginInteraction(), !0;
    }
    return !1;
  }
}
function xu(i) {
  i = i || {};
  const t = new Nt(), e = new xp(-5e-3, 0.05, 100);
  return (i.altShiftDragRotate === void 0 || i.altShiftDragRotate) && t.push(new kp()), (i.doubleClickZoom === void 0 || i.doubleClickZoom) && t.push(
    new bp({
      delta: i.zoomDelta,
      duration: i.zoomDuration
    })
  ), (i.dragPan === void 0 || i.dragPan) && t.push(
    new Op({
      onFocusOnly: i.onFocusOnly,
      kinetic: e
    })
  ), (i.pinchRotate === void 0 || i.pinchRotate) && t.push(new Wp()), (i.pinchZoom === void 0 || i.pinchZoom) && t.push(
    new Xp({
      duration: i.zoomDuration
    })
  ), (i.keyboard === void 0 || i.keyboard) && (t.push(new Up()), t.push(
    new zp({
      delta: i.zoomDelta,
      duration: i.zoomDuration
    })
  )), (i.mouseWheelZoom === void 0 || i.mouseWheelZoom) && t.push(
    new Vp({
      onFocusOnly: i.onFocusOnly,
      duration: i.zoomDuration
    })
  ), (i.shiftDragZoom === void 0 || i.shiftDragZoom) && t.push(
    new Bp({
      duration: i.zoomDuration
    })
  ), t;
}
const un = {
  /**
   * Triggered when a layer is added
   * @event GroupEvent#addlayer
   * @api
   */
  ADDLAYER: "addlayer",
  /**
   * Triggered when a layer is removed
   * @event GroupEvent#removelayer
   * @api
   */
  REMOVELAYER: "removelayer"
};
class pn extends Pe {
  /**
   * @param {GroupEventType} type The event type.
   * @param {BaseLayer} layer The layer.
   */
  constructor(t, e) {
    super(t), this.layer = e;
  }
}
const wo = {
  LAYERS: "layers"
};
class Di extends cu {
  /**
   * @param {Options} [options] Layer options.
   */
  constructor(t) {
    t = t || {};
    const e = (
      /** @type {Options} */
      Object.assign({}, t)
    );
    delete e.layers;
    let n = t.layers;
    super(e), this.on, this.once, this.un, this.layersListenerKeys_ = [], this.listenerKeys_ = {}, this.addChangeListener(wo.LAYERS, this.handleLayersChanged_), n ? Array.isArray(n) ? n = new Nt(n.slice(), { unique: !0 }) : nt(
      typeof /** @type {?} */
      n.getArray == "function",
      "Expected `layers` to be an array or a `Collection`"
    ) : n = new Nt(void 0, { unique: !0 }), this.setLayers(n);
  }
  /**
   * @private
   */
  handleLayerChange_() {
    this.changed();
  }
  /**
   * @private
   */
  handleLayersChanged_() {
    this.layersListenerKeys_.forEach(ht), this.layersListenerKeys_.length = 0;
    const t = this.getLayers();
    this.layersListenerKeys_.push(
      tt(t, zt.ADD, this.handleLayersAdd_, this),
      tt(
        t,
        zt.REMOVE,
        this.handleLayersRemove_,
        this
      )
    );
    for (const n in this.listenerKeys_)
      this.listenerKeys_[n].forEach(ht);
    Li(this.listenerKeys_);
    const e = t.getArray();
    for (let n = 0, r = e.length; n < r; n++) {
      const s = e[n];
      this.registerLayerListeners_(s), this.dispatchEvent(new pn(un.ADDLAYER, s));
    }
    this.changed();
  }
  /**
   * @param {BaseLayer} layer The layer.
   */
  registerLayerListeners_(t) {
    const e = [
      tt(
        t,
        Pi.PROPERTYCHANGE,
        this.handleLayerChange_,
        this
      ),
      tt(t, Y.CHANGE, this.handleLayerChange_, this)
    ];
    t instanceof Di && e.push(
      tt(t, un.ADDLAYER, this.handleLayerGroupAdd_, this),
      tt(
        t,
        un.REMOVELAYER,
        this.handleLayerGroupRemove_,
        this
      )
    ), this.listenerKeys_[z(t)] = e;
  }
  /**
   * @param {GroupEvent} event The layer group event.
   */
  handleLayerGroupAdd_(t) {
    this.dispatchEvent(new pn(un.ADDLAYER, t.layer));
  }
  /**
   * @param {GroupEvent} event The layer group event.
   */
  handleLayerGroupRemove_(t) {
    this.dispatchEvent(new pn(un.REMOVELAYER, t.layer));
  }
  /**
   * @param {import("../Collection.js").CollectionEvent<import("./Base.js").default>} collectionEvent CollectionEvent.
   * @private
   */
  handleLayersAdd_(t) {
    const e = t.element;
    this.registerLayerListeners_(e), this.dispatchEvent(new pn(un.ADDLAYER, e)), this.changed();
  }
  /**
   * @param {import("../Collection.js").CollectionEvent<import("./Base.js").default>} collectionEvent CollectionEvent.
   * @private
   */
  handleLayersRemove_(t) {
    const e = t.element, n = z(e);
    this.listenerKeys_[n].forEach(ht), delete this.listenerKeys_[n], this.dispatchEvent(new pn(un.REMOVELAYER, e)), this.changed();
  }
  /**
   * Returns the {@link module:ol/Collection~Collection collection} of {@link module:ol/layer/Layer~Layer layers}
   * in this group.
   * @return {!Collection<import("./Base.js").default>} Collection of
   *   {@link module:ol/layer/Base~BaseLayer layers} that are part of this group.
   * @observable
   * @api
   */
  getLayers() {
    return (
      /** @type {!Collection<import("./Base.js").default>} */
      this.get(wo.LAYERS)
    );
  }
  /**
   * Set the {@link module:ol/Collection~Collection collection} of {@link module:ol/layer/Layer~Layer layers}
   * in this group.
   * @param {!Collection<import("./Base.js").default>} layers Collection of
   *   {@link module:ol/layer/Base~BaseLayer layers} that are part of this group.
   * @observable
   * @api
   */
  setLayers(t) {
    const e = this.getLayers();
    if (e) {
      const n = e.getArray();
      for (let r = 0, s = n.length; r < s; ++r)
        this.dispatchEvent(
          new pn(un.REMOVELAYER, n[r])
        );
    }
    this.set(wo.LAYERS, t);
  }
  /**
   * @param {Array<import("./Layer.js").default>} [array] Array of layers (to be modified in place).
   * @return {Array<import("./Layer.js").default>} Array of layers.
   * @override
   */
  getLayersArray(t) {
    return t = t !== void 0 ? t : [], this.getLayers().forEach(function(e) {
      e.getLayersArray(t);
    }), t;
  }
  /**
   * Get the layer states list and use this groups z-index as the default
   * for all layers in this and nested groups, if it is unset at this point.
   * If dest is not provided and this group's z-index is undefined
   * 0 is used a the default z-index.
   * @param {Array<import("./Layer.js").State>} [dest] Optional list
   * of layer states (to be modified in place).
   * @return {Array<import("./Layer.js").State>} List of layer states.
   * @override
   */
  getLayerStatesArray(t) {
    const e = t !== void 0 ? t : [], n = e.length;
    this.getLayers().forEach(function(o) {
      o.getLayerStatesArray(e);
    });
    const r = this.getLayerState();
    let s = r.zIndex;
    !t && r.zIndex === void 0 && (s = 0);
    for (let o = n, a = e.length; o < a; o++) {
      const l = e[o];
      l.opacity *= r.opacity, l.visible = l.visible && r.visible, l.maxResolution = Math.min(
        l.maxResolution,
        r.maxResolution
      ), l.minResolution = Math.max(
        l.minResolution,
        r.minResolution
      ), l.minZoom = Math.max(l.minZoom, r.minZoom), l.maxZoom = Math.min(l.maxZoom, r.maxZoom), r.extent !== void 0 && (l.extent !== void 0 ? l.extent = kn(
        l.extent,
        r.extent
      ) : l.extent = r.extent), l.zIndex === void 0 && (l.zIndex = s);
    }
    return e;
  }
  /**
   * @return {import("../source/Source.js").State} Source state.
   * @override
   */
  getSourceState() {
    return "ready";
  }
}
class Yp extends Ir {
  /**
   * @param {import("../Map.js").default} map Map.
   */
  constructor(t) {
    super(), this.map_ = t;
  }
  /**
   * @abstract
   * @param {import("../render/EventType.js").default} type Event type.
   * @param {import("../Map.js").FrameState} frameState Frame state.
   */
  dispatchRenderEvent(t, e) {
    X();
  }
  /**
   * @param {import("../Map.js").FrameState} frameState FrameState.
   * @protected
   */
  calculateMatrices2D(t) {
    const e = t.viewState, n = t.coordinateToPixelTransform, r = t.pixelToCoordinateTransform;
    we(
      n,
      t.size[0] / 2,
      t.size[1] / 2,
      1 / e.resolution,
      -1 / e.resolution,
      -e.rotation,
      -e.center[0],
      -e.center[1]
    ), dr(r, n);
  }
  /**
   * @param {import("../coordinate.js").Coordinate} coordinate Coordinate.
   * @param {import("../Map.js").FrameState} frameState FrameState.
   * @param {number} hitTolerance Hit tolerance in pixels.
   * @param {boolean} checkWrapped Check for wrapped geometries.
   * @param {import("./vector.js").FeatureCallback<T>} callback Feature callback.
   * @param {S} thisArg Value to use as `this` when executing `callback`.
   * @param {function(this: U, import("../layer/Layer.js").default): boolean} layerFilter Layer filter
   *     function, only layers which are visible and for which this function
   *     returns `true` will be tested for features.  By default, all visible
   *     layers will be tested.
   * @param {U} thisArg2 Value to use as `this` when executing `layerFilter`.
   * @return {T|undefined} Callback result.
   * @template S,T,U
   */
  forEachFeatureAtCoordinate(t, e, n, r, s, o, a, l) {
    let h;
    const c = e.viewState;
    function u(v, m, C, T) {
      return s.call(o, m, v ? C : null, T);
    }
    const d = c.projection, g = dc(t.slice(), d), f = [[0, 0]];
    if (d.canWrapX() && r) {
      const v = d.getExtent(), m = at(v);
      f.push([-m, 0], [m, 0]);
    }
    const p = e.layerStatesArray, _ = p.length, y = (
      /** @type {Array<HitMatch<T>>} */
      []
    ), x = [];
    for (let v = 0; v < f.length; v++)
      for (let m = _ - 1; m >= 0; --m) {
        const C = p[m], T = C.layer;
        if (T.hasRenderer() && el(C, c) && a.call(l, T)) {
          const w = T.getRenderer(), b = T.getSource();
          if (w && b) {
            const L = b.getWrapX() ? g : t, A = u.bind(
              null,
              C.managed
            );
            x[0] = L[0] + f[v][0], x[1] = L[1] + f[v][1], h = w.forEachFeatureAtCoordinate(
              x,
              e,
              n,
              A,
              y
            );
          }
          if (h)
            return h;
        }
      }
    if (y.length === 0)
      return;
    const E = 1 / y.length;
    return y.forEach((v, m) => v.distanceSq += m * E), y.sort((v, m) => v.distanceSq - m.distanceSq), y.some((v) => h = v.callback(v.feature, v.layer, v.geometry)), h;
  }
  /**
   * @param {import("../coordinate.js").Coordinate} coordinate Coordinate.
   * @param {import("../Map.js").FrameState} frameState FrameState.
   * @param {number} hitTolerance Hit tolerance in pixels.
   * @param {boolean} checkWrapped Check for wrapped geometries.
   * @param {function(this: U, import("../layer/Layer.js").default): boolean} layerFilter Layer filter
   *     function, only layers which are visible and for which this function
   *     returns `true` will be tested for features.  By default, all visible
   *     layers will be tested.
   * @param {U} thisArg Value to use as `this` when executing `layerFilter`.
   * @return {boolean} Is there a feature at the given coordinate?
   * @template U
   */
  hasFeatureAtCoordinate(t, e, n, r, s, o) {
    return this.forEachFeatureAtCoordinate(
      t,
      e,
      n,
      r,
      zn,
      this,
      s,
      o
    ) !== void 0;
  }
  /**
   * @return {import("../Map.js").default} Map.
   */
  getMap() {
    return this.map_;
  }
  /**
   * Render.
   * @abstract
   * @param {?import("../Map.js").FrameState} frameState Frame state.
   */
  renderFrame(t) {
    X();
  }
  /**
   * @param {import("../Map.js").FrameState} frameState Frame state.
   * @protected
   */
  scheduleExpireIconCache(t) {
    he.canExpireCache() && t.postRenderFunctions.push(Zp);
  }
}
function Zp(i, t) {
  he.expire();
}
class Kp extends Yp {
  /**
   * @param {import("../Map.js").default} map Map.
   */
  constructor(t) {
    super(t), this.fontChangeListenerKey_ = tt(
      ui,
      Pi.PROPERTYCHANGE,
      t.redrawText,
      t
    ), this.element_ = le ? Gc() : document.createElement("div");
    const e = this.element_.style;
    e.position = "absolute", e.width = "100%", e.height = "100%", e.zIndex = "0", this.element_.className = js + " ol-layers";
    const n = t.getViewport();
    n && n.insertBefore(this.element_, n.firstChild || null), this.children_ = [], this.renderedVisible_ = !0;
  }
  /**
   * @param {import("../render/EventType.js").default} type Event type.
   * @param {import("../Map.js").FrameState} frameState Frame state.
   * @override
   */
  dispatchRenderEvent(t, e) {
    const n = this.getMap();
    if (n.hasListener(t)) {
      const r = new ir(t, void 0, e);
      n.dispatchEvent(r);
    }
  }
  /**
   * @override
   */
  disposeInternal() {
    ht(this.fontChangeListenerKey_), this.element_.remove(), super.disposeInternal();
  }
  /**
   * Render.
   * @param {?import("../Map.js").FrameState} frameState Frame state.
   * @override
   */
  renderFrame(t) {
    if (!t) {
      this.renderedVisible_ && (this.element_.style.display = "none", this.renderedVisible_ = !1);
      return;
    }
    this.calculateMatrices2D(t), this.dispatchRenderEvent(Mt.PRECOMPOSE, t);
    const e = t.layerStatesArray.sort(
      (a, l) => a.zIndex - l.zIndex
    );
    e.some(
      (a) => a.layer instanceof nl && a.layer.getDeclutter()
    ) && (t.declutter = {});
    const n = t.viewState;
    this.children_.length = 0;
    const r = [];
    let s = null;
    for (let a = 0, l = e.length; a < l; ++a) {
      const h = e[a];
      t.layerIndex = a;
      const c = h.layer, u = c.getSourceState();
      if (!el(h, n) || u != "ready" && u != "undefined") {
        c.unrender();
        continue;
      }
      const d = c.render(t, s);
      d && (d !== s && (this.children_.push(d), s = d), r.push(h));
    }
    this.declutter(t, r), af(this.element_, this.children_);
    const o = this.getMap().getTargetElement();
    if (yn(o)) {
      const a = o.getContext("2d");
      for (const l of this.children_) {
        const h = l.firstElementChild || l, c = l.style.backgroundColor;
        if (c && (!yn(h) || h.width > 0) && (a.fillStyle = c, a.fillRect(0, 0, o.width, o.height)), yn(h) && h.width > 0) {
          const u = l.style.opacity || h.style.opacity;
          a.globalAlpha = u === "" ? 1 : Number(u);
          const d = h.style.transform;
          if (d)
            a.setTransform(
              .../** @type {[number, number, number, number, number, number]} */
              Jo(d)
            );
          else {
            const g = parseFloat(h.style.width) / h.width, f = parseFloat(h.style.height) / h.height;
            a.setTransform(g, 0, 0, f, 0, 0);
          }
          a.drawImage(h, 0, 0);
        }
      }
      a.globalAlpha = 1, a.setTransform(1, 0, 0, 1, 0, 0);
    }
    this.dispatchRenderEvent(Mt.POSTCOMPOSE, t), this.renderedVisible_ || (this.element_.style.display = "", this.renderedVisible_ = !0), this.scheduleExpireIconCache(t);
  }
  /**
   * @param {import("../Map.js").FrameState} frameState Frame state.
   * @param {Array<import('../layer/Layer.js').State>} layerStates Layers.
   */
  declutter(t, e) {
    if (t.declutter) {
      for (let n = e.length - 1; n >= 0; --n) {
        const r = e[n], s = r.layer;
        s.getDeclutter() && s.renderDeclutter(t, r);
      }
      e.forEach(
        (n) => n.layer.renderDeferred(t)
      );
    }
  }
}
function vu(i) {
  if (i instanceof Gr) {
    i.setMapInternal(null);
    return;
  }
  i instanceof Di && i.getLayers().forEach(vu);
}
function Eu(i, t) {
  if (i instanceof Gr) {
    i.setMapInternal(t);
    return;
  }
  if (i instanceof Di) {
    const e = i.getLayers().getArray();
    for (let n = 0, r = e.length; n < r; ++n)
      Eu(e[n], t);
  }
}
let Hp = class extends $e {
  /**
   * @param {MapOptions} [options] Map options.
   */
  constructor(i) {
    super(), i = i || {}, this.on, this.once, this.un;
    const t = qp(i);
    this.renderComplete_ = !1, this.loaded_ = !0, this.boundHandleBrowserEvent_ = this.handleBrowserEvent.bind(this), this.maxTilesLoading_ = i.maxTilesLoading !== void 0 ? i.maxTilesLoading : 16, this.pixelRatio_ = i.pixelRatio !== void 0 ? i.pixelRatio : sf, this.postRenderTimeoutHandle_, this.animationDelayKey_, this.animationDelay_ = this.animationDelay_.bind(this), this.coordinateToPixelTransform_ = wt(), this.pixelToCoordinateTransform_ = wt(), this.frameIndex_ = 0, this.frameState_ = null, this.previousExtent_ = null, this.viewPropertyListenerKey_ = null, this.viewChangeListenerKey_ = null, this.layerGroupPropertyListenerKeys_ = null, le || (this.viewport_ = document.createElement("div"), this.viewport_.className = "ol-viewport" + ("ontouchstart" in window ? " ol-touch" : ""), this.viewport_.style.position = "relative", this.viewport_.style.overflow = "hidden", this.viewport_.style.width = "100%", this.viewport_.style.height = "100%", this.overlayContainer_ = document.createElement("div"), this.overlayContainer_.style.position = "absolute", this.overlayContainer_.style.zIndex = "0", this.overlayContainer_.style.width = "100%", this.overlayContainer_.style.height = "100%", this.overlayContainer_.style.pointerEvents = "none", this.overlayContainer_.className = "ol-overlaycontainer", this.viewport_.appendChild(this.overlayContainer_), this.overlayContainerStopEvent_ = document.createElement("div"), this.overlayContainerStopEvent_.style.position = "absolute", this.overlayContainerStopEvent_.style.zIndex = "0", this.overlayContainerStopEvent_.style.width = "100%", this.overlayContainerStopEvent_.style.height = "100%", this.overlayContainerStopEvent_.style.pointerEvents = "none", this.overlayContainerStopEvent_.className = "ol-overlaycontainer-stopevent", this.viewport_.appendChild(this.overlayContainerStopEvent_)), this.mapBrowserEventHandler_ = null, this.moveTolerance_ = i.moveTolerance, this.keyboardEventTarget_ = t.keyboardEventTarget, this.targetChangeHandlerKeys_ = null, this.targetElement_ = null, le || (this.resizeObserver_ = new ResizeObserver(() => this.updateSize())), this.controls = t.controls || (le ? new Nt() : wp()), this.interactions = t.interactions || (le ? new Nt() : xu({
      onFocusOnly: !0
    })), this.overlays_ = t.overlays, this.overlayIdIndex_ = {}, this.renderer_ = null, this.postRenderFunctions_ = [], this.tileQueue_ = new Sp(
      this.getTilePriority.bind(this),
      this.handleTileChange_.bind(this)
    ), this.addChangeListener(
      Ut.LAYERGROUP,
      this.handleLayerGroupChanged_
    ), this.addChangeListener(Ut.VIEW, this.handleViewChanged_), this.addChangeListener(Ut.SIZE, this.handleSizeChanged_), this.addChangeListener(Ut.TARGET, this.handleTargetChanged_), this.setProperties(t.values);
    const e = this;
    i.view && !(i.view instanceof Oe) && i.view.then(function(n) {
      e.setView(new Oe(n));
    }), this.controls.addEventListener(
      zt.ADD,
      /**
       * @param {import("./Collection.js").CollectionEvent<import("./control/Control.js").default>} event CollectionEvent
       */
      (n) => {
        n.element.setMap(this);
      }
    ), this.controls.addEventListener(
      zt.REMOVE,
      /**
       * @param {import("./Collection.js").CollectionEvent<import("./control/Control.js").default>} event CollectionEvent.
       */
      (n) => {
        n.element.setMap(null);
      }
    ), this.interactions.addEventListener(
      zt.ADD,
      /**
       * @param {import("./Collection.js").CollectionEvent<import("./interaction/Interaction.js").default>} event CollectionEvent.
       */
      (n) => {
        n.element.setMap(this);
      }
    ), this.interactions.addEventListener(
      zt.REMOVE,
      /**
       * @param {import("./Collection.js").CollectionEvent<import("./interaction/Interaction.js").default>} event CollectionEvent.
       */
      (n) => {
        n.element.setMap(null);
      }
    ), this.overlays_.addEventListener(
      zt.ADD,
      /**
       * @param {import("./Collection.js").CollectionEvent<import("./Overlay.js").default>} event CollectionEvent.
       */
      (n) => {
        this.addOverlayInternal_(n.element);
      }
    ), this.overlays_.addEventListener(
      zt.REMOVE,
      /**
       * @param {import("./Collection.js").CollectionEvent<import("./Overlay.js").default>} event CollectionEvent.
       */
      (n) => {
        const r = n.element.getId();
        r !== void 0 && delete this.overlayIdIndex_[r.toString()], n.element.setMap(null);
      }
    ), this.controls.forEach(
      /**
       * @param {import("./control/Control.js").default} control Control.
       */
      (n) => {
        n.setMap(this);
      }
    ), this.interactions.forEach(
      /**
       * @param {import("./interaction/Interaction.js").default} interaction Interaction.
       */
      (n) => {
        n.setMap(this);
      }
    ), this.overlays_.forEach(this.addOverlayInternal_.bind(this));
  }
  /**
   * Add the given control to the map.
   * @param {import("./control/Control.js").default} control Control.
   * @api
   */
  addControl(i) {
    this.getControls().push(i);
  }
  /**
   * Add the given interaction to the map. If you want to add an interaction
   * at another point of the collection use `getInteractions()` and the methods
   * available on {@link module:ol/Collection~Collection}. This can be used to
   * stop the event propagation from the handleEvent function. The interactions
   * get to handle the events in the reverse order of this collection.
   * @param {import("./interaction/Interaction.js").default} interaction Interaction to add.
   * @api
   */
  addInteraction(i) {
    this.getInteractions().push(i);
  }
  /**
   * Adds the given layer to the top of this map. If you want to add a layer
   * elsewhere in the stack, use `getLayers()` and the methods available on
   * {@link module:ol/Collection~Collection}.
   * @param {import("./layer/Base.js").default} layer Layer.
   * @api
   */
  addLayer(i) {
    this.getLayerGroup().getLayers().push(i);
  }
  /**
   * @param {import("./layer/Group.js").GroupEvent} event The layer add event.
   * @private
   */
  handleLayerAdd_(i) {
    Eu(i.layer, this);
  }
  /**
   * Add the given overlay to the map.
   * @param {import("./Overlay.js").default} overlay Overlay.
   * @api
   */
  addOverlay(i) {
    this.getOverlays().push(i);
  }
  /**
   * This deals with map's overlay collection changes.
   * @param {import("./Overlay.js").default} overlay Overlay.
   * @private
   */
  addOverlayInternal_(i) {
    const t = i.getId();
    t !== void 0 && (this.overlayIdIndex_[t.toString()] = i), i.setMap(this);
  }
  /**
   *
   * Clean up.
   * @override
   */
  disposeInternal() {
    this.controls.clear(), this.interactions.clear(), this.overlays_.clear(), this.resizeObserver_?.disconnect(), this.setTarget(null), super.disposeInternal();
  }
  /**
   * Detect features that intersect a pixel on the viewport, and execute a
   * callback with each intersecting feature. Layers included in the detection can
   * be configured through the `layerFilter` option in `options`.
   * For polygons without a fill, only the stroke will be used for hit detection.
   * Polygons must have a fill style applied to ensure that pixels inside a polygon are detected.
   * The fill can be transparent.
   * @param {import("./pixel.js").Pixel} pixel Pixel.
   * @param {function(import("./Feature.js").FeatureLike, import("./layer/Layer.js").default<import("./source/Source").default>, import("./geom/SimpleGeometry.js").default): T} callback Feature callback. The callback will be
   *     called with two arguments. The first argument is one
   *     {@link module:ol/Feature~Feature feature} or
   *     {@link module:ol/render/Feature~RenderFeature render feature} at the pixel, the second is
   *     the {@link module:ol/layer/Layer~Layer layer} of the feature and will be null for
   *     unmanaged layers. To stop detection, callback functions can return a
   *     truthy value.
   * @param {AtPixelOptions} [options] Optional options.
   * @return {T|undefined} Callback result, i.e. the return value of last
   * callback execution, or the first truthy callback return value.
   * @template T
   * @api
   */
  forEachFeatureAtPixel(i, t, e) {
    if (!this.frameState_ || !this.renderer_)
      return;
    const n = this.getCoordinateFromPixelInternal(i);
    e = e !== void 0 ? e : {};
    const r = e.hitTolerance !== void 0 ? e.hitTolerance : 0, s = e.layerFilter !== void 0 ? e.layerFilter : zn, o = e.checkWrapped !== !1;
    return this.renderer_.forEachFeatureAtCoordinate(
      n,
      this.frameState_,
      r,
      o,
      t,
      null,
      s,
      null
    );
  }
  /**
   * Get all features that intersect a pixel on the viewport.
   * For polygons without a fill, only the stroke will be used for hit detection.
   * Polygons must have a fill style applied to ensure that pixels inside a polygon are detected.
   * The fill can be transparent.
   * @param {import("./pixel.js").Pixel} pixel Pixel.
   * @param {AtPixelOptions} [options] Optional options.
   * @return {Array<import("./Feature.js").FeatureLike>} The detected features or
   * an empty array if none were found.
   * @api
   */
  getFeaturesAtPixel(i, t) {
    const e = [];
    return this.forEachFeatureAtPixel(
      i,
      function(n) {
        e.push(n);
      },
      t
    ), e;
  }
  /**
   * Get all layers from all layer groups.
   * @return {Array<import("./layer/Layer.js").default>} Layers.
   * @api
   */
  getAllLayers() {
    const i = [];
    function t(e) {
      e.forEach(function(n) {
        n instanceof Di ? t(n.getLayers()) : i.push(n);
      });
    }
    return t(this.getLayers()), i;
  }
  /**
   * Detect if features intersect a pixel on the viewport. Layers included in the
   * detection can be configured through the `layerFilter` option.
   * For polygons without a fill, only the stroke will be used for hit detection.
   * Polygons must have a fill style applied to ensure that pixels inside a polygon are detected.
   * The fill can be transparent.
   * @param {import("./pixel.js").Pixel} pixel Pixel.
   * @param {AtPixelOptions} [options] Optional options.
   * @return {boolean} Is there a feature at the given pixel?
   * @api
   */
  hasFeatureAtPixel(i, t) {
    if (!this.frameState_ || !this.renderer_)
      return !1;
    const e = this.getCoordinateFromPixelInternal(i);
    t = t !== void 0 ? t : {};
    const n = t.layerFilter !== void 0 ? t.layerFilter : zn, r = t.hitTolerance !== void 0 ? t.hitTolerance : 0, s = t.checkWrapped !== !1;
    return this.renderer_.hasFeatureAtCoordinate(
      e,
      this.frameState_,
      r,
      s,
      n,
      null
    );
  }
  /**
   * Returns the coordinate in user projection for a browser event.
   * @param {MouseEvent} event Event.
   * @return {import("./coordinate.js").Coordinate} Coordinate.
   * @api
   */
  getEventCoordinate(i) {
    return this.getCoordinateFromPixel(this.getEventPixel(i));
  }
  /**
   * Returns the coordinate in view projection for a browser event.
   * @param {MouseEvent} event Event.
   * @return {import("./coordinate.js").Coordinate} Coordinate.
   */
  getEventCoordinateInternal(i) {
    return this.getCoordinateFromPixelInternal(this.getEventPixel(i));
  }
  /**
   * Returns the map pixel position for a browser event relative to the viewport.
   * @param {UIEvent|{clientX: number, clientY: number}} event Event.
   * @return {import("./pixel.js").Pixel} Pixel.
   * @api
   */
  getEventPixel(i) {
    const t = this.viewport_.getBoundingClientRect(), e = this.getSize(), n = t.width / e[0], r = t.height / e[1], s = (
      //FIXME Are we really calling this with a TouchEvent anywhere?
      "changedTouches" in i ? (
        /** @type {TouchEvent} */
        i.changedTouches[0]
      ) : (
        /** @type {MouseEvent} */
        i
      )
    );
    return [
      (s.clientX - t.left) / n,
      (s.clientY - t.top) / r
    ];
  }
  /**
   * Get the target in which this map is rendered.
   * Note that this returns what is entered as an option or in setTarget:
   * if that was an element, it returns an element; if a string, it returns that.
   * @return {HTMLElement|string|undefined} The Element or id of the Element that the
   *     map is rendered in.
   * @observable
   * @api
   */
  getTarget() {
    return (
      /** @type {HTMLElement|string|undefined} */
      this.get(Ut.TARGET)
    );
  }
  /**
   * Get the DOM element into which this map is rendered. In contrast to
   * `getTarget` this method always return an `Element`, or `null` if the
   * map has no target.
   * @return {HTMLElement} The element that the map is rendered in.
   * @api
   */
  getTargetElement() {
    return this.targetElement_;
  }
  /**
   * Get the coordinate for a given pixel.  This returns a coordinate in the
   * user projection.
   * @param {import("./pixel.js").Pixel} pixel Pixel position in the map viewport.
   * @return {import("./coordinate.js").Coordinate} The coordinate for the pixel position.
   * @api
   */
  getCoordinateFromPixel(i) {
    return Un(
      this.getCoordinateFromPixelInternal(i),
      this.getView().getProjection()
    );
  }
  /**
   * Get the coordinate for a given pixel.  This returns a coordinate in the
   * map view projection.
   * @param {import("./pixel.js").Pixel} pixel Pixel position in the map viewport.
   * @return {import("./coordinate.js").Coordinate} The coordinate for the pixel position.
   */
  getCoordinateFromPixelInternal(i) {
    const t = this.frameState_;
    return t ? mt(t.pixelToCoordinateTransform, i.slice()) : null;
  }
  /**
   * Get the map controls. Modifying this collection changes the controls
   * associated with the map.
   * @return {Collection<import("./control/Control.js").default>} Controls.
   * @api
   */
  getControls() {
    return this.controls;
  }
  /**
   * Get the map overlays. Modifying this collection changes the overlays
   * associated with the map.
   * @return {Collection<import("./Overlay.js").default>} Overlays.
   * @api
   */
  getOverlays() {
    return this.overlays_;
  }
  /**
   * Get an overlay by its identifier (the value returned by overlay.getId()).
   * Note that the index treats string and numeric identifiers as the same. So
   * `map.getOverlayById(2)` will return an overlay with id `'2'` or `2`.
   * @param {string|number} id Overlay identifier.
   * @return {import("./Overlay.js").default|null} Overlay.
   * @api
   */
  getOverlayById(i) {
    const t = this.overlayIdIndex_[i.toString()];
    return t !== void 0 ? t : null;
  }
  /**
   * Get the map interactions. Modifying this collection changes the interactions
   * associated with the map.
   *
   * Interactions are used for e.g. pan, zoom and rotate.
   * @return {Collection<import("./interaction/Interaction.js").default>} Interactions.
   * @api
   */
  getInteractions() {
    return this.interactions;
  }
  /**
   * Get the layergroup associated with this map.
   * @return {LayerGroup} A layer group containing the layers in this map.
   * @observable
   * @api
   */
  getLayerGroup() {
    return (
      /** @type {LayerGroup} */
      this.get(Ut.LAYERGROUP)
    );
  }
  /**
   * Clear any existing layers and add layers to the map.
   * @param {Array<import("./layer/Base.js").default>|Collection<import("./layer/Base.js").default>} layers The layers to be added to the map.
   * @api
   */
  setLayers(i) {
    const t = this.getLayerGroup();
    if (i instanceof Nt) {
      t.setLayers(i);
      return;
    }
    const e = t.getLayers();
    e.clear(), e.extend(i);
  }
  /**
   * Get the collection of layers associated with this map.
   * @return {!Collection<import("./layer/Base.js").default>} Layers.
   * @api
   */
  getLayers() {
    return this.getLayerGroup().getLayers();
  }
  /**
   * @return {boolean} Layers have sources that are still loading.
   */
  getLoadingOrNotReady() {
    const i = this.getLayerGroup().getLayerStatesArray();
    for (let t = 0, e = i.length; t < e; ++t) {
      const n = i[t];
      if (!n.visible)
        continue;
      const r = n.layer.getRenderer();
      if (r && !r.ready)
        return !0;
      const s = n.layer.getSource();
      if (s && s.loading)
        return !0;
    }
    return !1;
  }
  /**
   * Get the pixel for a coordinate.  This takes a coordinate in the user
   * projection and returns the corresponding pixel.
   * @param {import("./coordinate.js").Coordinate} coordinate A map coordinate.
   * @return {import("./pixel.js").Pixel} A pixel position in the map viewport.
   * @api
   */
  getPixelFromCoordinate(i) {
    const t = gt(
      i,
      this.getView().getProjection()
    );
    return this.getPixelFromCoordinateInternal(t);
  }
  /**
   * Get the pixel for a coordinate.  This takes a coordinate in the map view
   * projection and returns the corresponding pixel.
   * @param {import("./coordinate.js").Coordinate} coordinate A map coordinate.
   * @return {import("./pixel.js").Pixel} A pixel position in the map viewport.
   */
  getPixelFromCoordinateInternal(i) {
    const t = this.frameState_;
    return t ? mt(
      t.coordinateToPixelTransform,
      i.slice(0, 2)
    ) : null;
  }
  /**
   * Get the map renderer.
   * @return {import("./renderer/Map.js").default|null} Renderer
   */
  getRenderer() {
    return this.renderer_;
  }
  /**
   * Get the size of this map.
   * @return {import("./size.js").Size|undefined} The size in pixels of the map in the DOM.
   * @observable
   * @api
   */
  getSize() {
    return (
      /** @type {import("./size.js").Size|undefined} */
      this.get(Ut.SIZE)
    );
  }
  /**
   * Get the view associated with this map. A view manages properties such as
   * center and resolution.
   * @return {View} The view that controls this map.
   * @observable
   * @api
   */
  getView() {
    return (
      /** @type {View} */
      this.get(Ut.VIEW)
    );
  }
  /**
   * Get the element that serves as the map viewport.
   * @return {HTMLElement} Viewport.
   * @api
   */
  getViewport() {
    return this.viewport_;
  }
  /**
   * Get the element that serves as the container for overlays.  Elements added to
   * this container will let mousedown and touchstart events through to the map,
   * so clicks and gestures on an overlay will trigger {@link module:ol/MapBrowserEvent~MapBrowserEvent}
   * events.
   * @return {!HTMLElement} The map's overlay container.
   */
  getOverlayContainer() {
    return this.overlayContainer_;
  }
  /**
   * Get the element that serves as a container for overlays that don't allow
   * event propagation. Elements added to this container won't let mousedown and
   * touchstart events through to the map, so clicks and gestures on an overlay
   * don't trigger any {@link module:ol/MapBrowserEvent~MapBrowserEvent}.
   * @return {!HTMLElement} The map's overlay container that stops events.
   */
  getOverlayContainerStopEvent() {
    return this.overlayContainerStopEvent_;
  }
  /**
   * @return {!Document} The document where the map is displayed.
   */
  getOwnerDocument() {
    const i = this.getTargetElement();
    return i ? i.ownerDocument : document;
  }
  /**
   * @param {import("./Tile.js").default} tile Tile.
   * @param {string} tileSourceKey Tile source key.
   * @param {import("./coordinate.js").Coordinate} tileCenter Tile center.
   * @param {number} tileResolution Tile resolution.
   * @return {number} Tile priority.
   */
  getTilePriority(i, t, e, n) {
    return Cp(
      this.frameState_,
      i,
      t,
      e,
      n
    );
  }
  /**
   * @param {PointerEvent|KeyboardEvent|WheelEvent} browserEvent Browser event.
   * @param {string} [type] Type.
   */
  handleBrowserEvent(i, t) {
    t = t || i.type;
    const e = new fn(t, this, i);
    this.handleMapBrowserEvent(e);
  }
  /**
   * @param {MapBrowserEvent} mapBrowserEvent The event to handle.
   */
  handleMapBrowserEvent(i) {
    if (!this.frameState_)
      return;
    const t = i.originalEvent, e = t.type;
    if (e === la.POINTERDOWN || e === Y.WHEEL || e === Y.KEYDOWN) {
      const n = this.getOwnerDocument(), r = this.viewport_.getRootNode ? this.viewport_.getRootNode() : n, s = (
        /** @type {Node} */
        t.target
      ), o = r instanceof ShadowRoot ? r.host === s ? r.host.ownerDocument : r : r === n ? n.documentElement : r;
      if (
        // Abort if the target is a child of the container for elements whose events are not meant
        // to be handled by map interactions.
        this.overlayContainerStopEvent_.contains(s) || // Abort if the event target is a child of the container that is no longer in the page.
        // It's possible for the target to no longer be in the page if it has been removed in an
        // event listener, this might happen in a Control that recreates it's content based on
        // user interaction either manually or via a render in something like https://reactjs.org/
        !o.contains(s)
      )
        return;
    }
    if (i.frameState = this.frameState_, this.dispatchEvent(i) !== !1) {
      const n = this.getInteractions().getArray().slice();
      for (let r = n.length - 1; r >= 0; r--) {
        const s = n[r];
        if (!(s.getMap() !== this || !s.getActive() || !this.getTargetElement()) && (!s.handleEvent(i) || i.propagationStopped))
          break;
      }
    }
  }
  /**
   * @protected
   */
  handlePostRender() {
    const i = this.frameState_, t = this.tileQueue_;
    if (!t.isEmpty()) {
      let n = this.maxTilesLoading_, r = n;
      if (i) {
        const s = i.viewHints;
        if (s[It.ANIMATING] || s[It.INTERACTING]) {
          const o = Date.now() - i.time > 8;
          n = o ? 0 : 8, r = o ? 0 : 2;
        }
      }
      t.getTilesLoading() < n && (t.reprioritize(), t.loadMoreTiles(n, r));
    }
    i && this.renderer_ && !i.animate && (this.renderComplete_ ? (this.hasListener(Mt.RENDERCOMPLETE) && this.renderer_.dispatchRenderEvent(
      Mt.RENDERCOMPLETE,
      i
    ), this.loaded_ === !1 && (this.loaded_ = !0, this.dispatchEvent(
      new fi(_n.LOADEND, this, i)
    ))) : this.loaded_ === !0 && (this.loaded_ = !1, this.dispatchEvent(
      new fi(_n.LOADSTART, this, i)
    )));
    const e = this.postRenderFunctions_;
    if (i)
      for (let n = 0, r = e.length; n < r; ++n)
        e[n](this, i);
    e.length = 0;
  }
  /**
   * @private
   */
  handleSizeChanged_() {
    this.getView() && !this.getView().getAnimating() && this.getView().resolveConstraints(0), this.render();
  }
  /**
   * @private
   */
  handleTargetChanged_() {
    if (this.mapBrowserEventHandler_) {
      for (let e = 0, n = this.targetChangeHandlerKeys_.length; e < n; ++e)
        ht(this.targetChangeHandlerKeys_[e]);
      this.targetChangeHandlerKeys_ = null, this.viewport_.removeEventListener(
        Y.CONTEXTMENU,
        this.boundHandleBrowserEvent_
      ), this.viewport_.removeEventListener(
        Y.WHEEL,
        this.boundHandleBrowserEvent_
      ), this.mapBrowserEventHandler_.dispose(), this.mapBrowserEventHandler_ = null, this.viewport_.remove();
    }
    if (this.targetElement_ && !yn(this.targetElement_)) {
      this.resizeObserver_?.unobserve(this.targetElement_);
      const e = this.targetElement_.getRootNode();
      e instanceof ShadowRoot && this.resizeObserver_.unobserve(e.host), this.setSize(void 0);
    }
    const i = this.getTarget(), t = typeof i == "string" ? document.getElementById(i) : i;
    if (this.targetElement_ = t, !t)
      this.renderer_ && (clearTimeout(this.postRenderTimeoutHandle_), this.postRenderTimeoutHandle_ = void 0, this.postRenderFunctions_.length = 0, this.renderer_.dispose(), this.renderer_ = null), this.animationDelayKey_ && (cancelAnimationFrame(this.animationDelayKey_), this.animationDelayKey_ = void 0);
    else {
      if (yn(t) || t.appendChild(this.viewport_), this.renderer_ || (this.renderer_ = new Kp(this)), !yn(t)) {
        this.mapBrowserEventHandler_ = new vp(
          this,
          this.moveTolerance_
        );
        for (const n in lt)
          this.mapBrowserEventHandler_.addEventListener(
            lt[n],
            this.handleMapBrowserEvent.bind(this)
          );
        this.viewport_.addEventListener(
          Y.CONTEXTMENU,
          this.boundHandleBrowserEvent_,
          !1
        ), this.viewport_.addEventListener(
          Y.WHEEL,
          this.boundHandleBrowserEvent_,
          Nc ? { passive: !1 } : !1
        );
        let e;
        if (this.keyboardEventTarget_)
          e = this.keyboardEventTarget_;
        else {
          const n = t.getRootNode();
          e = n instanceof ShadowRoot ? n.host : t;
        }
        if (this.targetChangeHandlerKeys_ = [
          tt(
            e,
            Y.KEYDOWN,
            this.handleBrowserEvent,
            this
          ),
          tt(
            e,
            Y.KEYPRESS,
            this.handleBrowserEvent,
            this
          )
        ], t instanceof HTMLElement) {
          const n = t.getRootNode();
          n instanceof ShadowRoot && this.resizeObserver_.observe(n.host), this.resizeObserver_?.observe(t);
        }
      }
      this.updateSize();
    }
  }
  /**
   * @private
   */
  handleTileChange_() {
    this.render();
  }
  /**
   * @private
   */
  handleViewPropertyChanged_() {
    this.render();
  }
  /**
   * @private
   */
  handleViewChanged_() {
    this.viewPropertyListenerKey_ && (ht(this.viewPropertyListenerKey_), this.viewPropertyListenerKey_ = null), this.viewChangeListenerKey_ && (ht(this.viewChangeListenerKey_), this.viewChangeListenerKey_ = null);
    const i = this.getView();
    i && (this.updateViewportSize_(this.getSize()), this.viewPropertyListenerKey_ = tt(
      i,
      Pi.PROPERTYCHANGE,
      this.handleViewPropertyChanged_,
      this
    ), this.viewChangeListenerKey_ = tt(
      i,
      Y.CHANGE,
      this.handleViewPropertyChanged_,
      this
    ), i.resolveConstraints(0)), this.render();
  }
  /**
   * @private
   */
  handleLayerGroupChanged_() {
    this.layerGroupPropertyListenerKeys_ && (this.layerGroupPropertyListenerKeys_.forEach(ht), this.layerGroupPropertyListenerKeys_ = null);
    const i = this.getLayerGroup();
    i && (this.handleLayerAdd_(new pn("addlayer", i)), this.layerGroupPropertyListenerKeys_ = [
      tt(i, Pi.PROPERTYCHANGE, this.render, this),
      tt(i, Y.CHANGE, this.render, this),
      tt(i, "addlayer", this.handleLayerAdd_, this),
      tt(i, "removelayer", this.handleLayerRemove_, this)
    ]), this.render();
  }
  /**
   * @return {boolean} Is rendered.
   */
  isRendered() {
    return !!this.frameState_;
  }
  /**
   * @private
   */
  animationDelay_() {
    this.animationDelayKey_ = void 0, this.renderFrame_(Date.now());
  }
  /**
   * Requests an immediate render in a synchronous manner.
   * @api
   */
  renderSync() {
    this.animationDelayKey_ && cancelAnimationFrame(this.animationDelayKey_), this.animationDelay_();
  }
  /**
   * Redraws all text after new fonts have loaded
   */
  redrawText() {
    if (!this.frameState_)
      return;
    const i = this.frameState_.layerStatesArray;
    for (let t = 0, e = i.length; t < e; ++t) {
      const n = i[t].layer;
      n.hasRenderer() && n.getRenderer().handleFontsChanged();
    }
  }
  /**
   * Request a map rendering (at the next animation frame).
   * @api
   */
  render() {
    this.renderer_ && this.animationDelayKey_ === void 0 && (this.animationDelayKey_ = requestAnimationFrame(this.animationDelay_));
  }
  /**
   * Remove the given control from the map.
   * @param {import("./control/Control.js").default} control Control.
   * @return {import("./control/Control.js").default|undefined} The removed control (or undefined
   *     if the control was not found).
   * @api
   */
  removeControl(i) {
    return this.getControls().remove(i);
  }
  /**
   * Remove the given interaction from the map.
   * @param {import("./interaction/Interaction.js").default} interaction Interaction to remove.
   * @return {import("./interaction/Interaction.js").default|undefined} The removed interaction (or
   *     undefined if the interaction was not found).
   * @api
   */
  removeInteraction(i) {
    return this.getInteractions().remove(i);
  }
  /**
   * Removes the given layer from the map.
   * @param {import("./layer/Base.js").default} layer Layer.
   * @return {import("./layer/Base.js").default|undefined} The removed layer (or undefined if the
   *     layer was not found).
   * @api
   */
  removeLayer(i) {
    return this.getLayerGroup().getLayers().remove(i);
  }
  /**
   * @param {import("./layer/Group.js").GroupEvent} event The layer remove event.
   * @private
   */
  handleLayerRemove_(i) {
    vu(i.layer);
  }
  /**
   * Remove the given overlay from the map.
   * @param {import("./Overlay.js").default} overlay Overlay.
   * @return {import("./Overlay.js").default|undefined} The removed overlay (or undefined
   *     if the overlay was not found).
   * @api
   */
  removeOverlay(i) {
    return this.getOverlays().remove(i);
  }
  /**
   * @param {number} time Time.
   * @private
   */
  renderFrame_(i) {
    const t = this.getSize(), e = this.getView(), n = this.frameState_;
    let r = null;
    if (t !== void 0 && nh(t) && e && e.isDef()) {
      const s = e.getHints(
        this.frameState_ ? this.frameState_.viewHints : void 0
      ), o = e.getState();
      if (r = {
        animate: !1,
        coordinateToPixelTransform: this.coordinateToPixelTransform_,
        declutter: null,
        extent: Wo(
          o.center,
          o.resolution,
          o.rotation,
          t
        ),
        index: this.frameIndex_++,
        layerIndex: 0,
        layerStatesArray: this.getLayerGroup().getLayerStatesArray(),
        pixelRatio: this.pixelRatio_,
        pixelToCoordinateTransform: this.pixelToCoordinateTransform_,
        postRenderFunctions: [],
        size: t,
        tileQueue: this.tileQueue_,
        time: i,
        usedTiles: {},
        viewState: o,
        viewHints: s,
        wantedTiles: {},
        mapId: z(this),
        renderTargets: {}
      }, o.nextCenter && o.nextResolution) {
        const a = isNaN(o.nextRotation) ? o.rotation : o.nextRotation;
        r.nextExtent = Wo(
          o.nextCenter,
          o.nextResolution,
          a,
          t
        );
      }
    }
    this.frameState_ = r, this.renderer_.renderFrame(r), r && (r.animate && this.render(), Array.prototype.push.apply(
      this.postRenderFunctions_,
      r.postRenderFunctions
    ), n && (!this.previousExtent_ || !Ri(this.previousExtent_) && !wi(r.extent, this.previousExtent_)) && (this.dispatchEvent(
      new fi(_n.MOVESTART, this, n)
    ), this.previousExtent_ = Pr(this.previousExtent_)), this.previousExtent_ && !r.viewHints[It.ANIMATING] && !r.viewHints[It.INTERACTING] && !wi(r.extent, this.previousExtent_) && (this.dispatchEvent(
      new fi(_n.MOVEEND, this, r)
    ), sc(r.extent, this.previousExtent_))), this.dispatchEvent(new fi(_n.POSTRENDER, this, r)), this.renderComplete_ = (this.hasListener(_n.LOADSTART) || this.hasListener(_n.LOADEND) || this.hasListener(Mt.RENDERCOMPLETE)) && !this.tileQueue_.getTilesLoading() && !this.tileQueue_.getCount() && !this.getLoadingOrNotReady(), this.postRenderTimeoutHandle_ || (this.postRenderTimeoutHandle_ = setTimeout(() => {
      this.postRenderTimeoutHandle_ = void 0, this.handlePostRender();
    }, 0));
  }
  /**
   * Sets the layergroup of this map.
   * @param {LayerGroup} layerGroup A layer group containing the layers in this map.
   * @observable
   * @api
   */
  setLayerGroup(i) {
    const t = this.getLayerGroup();
    t && this.handleLayerRemove_(new pn("removelayer", t)), this.set(Ut.LAYERGROUP, i);
  }
  /**
   * Set the size of this map.
   * @param {import("./size.js").Size|undefined} size The size in pixels of the map in the DOM.
   * @observable
   * @api
   */
  setSize(i) {
    this.set(Ut.SIZE, i);
  }
  /**
   * Set the target element to render this map into.
   * For accessibility (focus and keyboard events for map navigation), the `target` element must have a
   *  properly configured `tabindex` attribute. If the `target` element is inside a Shadow DOM, the
   *  `tabindex` atribute must be set on the custom element's host element.
   * @param {HTMLElement|string} [target] The Element or id of the Element
   *     that the map is rendered in.
   * @observable
   * @api
   */
  setTarget(i) {
    this.set(Ut.TARGET, i);
  }
  /**
   * Set the view for this map.
   * @param {View|Promise<import("./View.js").ViewOptions>|null} view The view that controls this map.
   * It is also possible to pass a promise that resolves to options for constructing a view.  This
   * alternative allows view properties to be resolved by sources or other components that load
   * view-related metadata.
   * @observable
   * @api
   */
  setView(i) {
    if (!i || i instanceof Oe) {
      this.set(Ut.VIEW, i);
      return;
    }
    this.set(Ut.VIEW, new Oe());
    const t = this;
    i.then(function(e) {
      t.setView(new Oe(e));
    });
  }
  /**
   * Force a recalculation of the map viewport size.  This should be called when
   * third-party code changes the size of the map viewport.
   * @api
   */
  updateSize() {
    const i = this.getTargetElement();
    let t;
    if (i) {
      let n, r;
      if (yn(i))
        n = i.width, r = i.height;
      else {
        const s = getComputedStyle(i);
        n = i.offsetWidth - parseFloat(s.borderLeftWidth) - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight) - parseFloat(s.borderRightWidth), r = i.offsetHeight - parseFloat(s.borderTopWidth) - parseFloat(s.paddingTop) - parseFloat(s.paddingBottom) - parseFloat(s.borderBottomWidth);
      }
      !isNaN(n) && !isNaN(r) && (t = [Math.max(0, n), Math.max(0, r)], !nh(t) && (i.offsetWidth || i.offsetHeight || i.getClientRects().length) && rc(
        "No map visible because the map container's width or height are 0."
      ));
    }
    const e = this.getSize();
    t && (!e || !ze(t, e)) && (this.setSize(t), this.updateViewportSize_(t));
  }
  /**
   * Recomputes the viewport size and save it on the view object (if any)
   * @param {import("./size.js").Size|undefined} size The size.
   * @private
   */
  updateViewportSize_(i) {
    const t = this.getView();
    t && t.setViewportSize(i);
  }
};
function qp(i) {
  let t = null;
  i.keyboardEventTarget !== void 0 && (t = typeof i.keyboardEventTarget == "string" ? document.getElementById(i.keyboardEventTarget) : i.keyboardEventTarget);
  const e = {}, n = i.layers && typeof /** @type {?} */
  i.layers.getLayers == "function" ? (
    /** @type {LayerGroup} */
    i.layers
  ) : new Di({
    layers: (
      /** @type {Collection<import("./layer/Base.js").default>|Array<import("./layer/Base.js").default>} */
      i.layers
    )
  });
  e[Ut.LAYERGROUP] = n, e[Ut.TARGET] = i.target, e[Ut.VIEW] = i.view instanceof Oe ? i.view : new Oe();
  let r;
  i.controls !== void 0 && (Array.isArray(i.controls) ? r = new Nt(i.controls.slice()) : (nt(
    typeof /** @type {?} */
    i.controls.getArray == "function",
    "Expected `controls` to be an array or an `ol/Collection.js`"
  ), r = i.controls));
  let s;
  i.interactions !== void 0 && (Array.isArray(i.interactions) ? s = new Nt(i.interactions.slice()) : (nt(
    typeof /** @type {?} */
    i.interactions.getArray == "function",
    "Expected `interactions` to be an array or an `ol/Collection.js`"
  ), s = i.interactions));
  let o;
  return i.overlays !== void 0 ? Array.isArray(i.overlays) ? o = new Nt(i.overlays.slice()) : (nt(
    typeof /** @type {?} */
    i.overlays.getArray == "function",
    "Expected `overlays` to be an array or an `ol/Collection.js`"
  ), o = i.overlays) : o = new Nt(), {
    controls: r,
    interactions: s,
    keyboardEventTarget: t,
    overlays: o,
    values: e
  };
}
class al {
  /**
   * @param {number} minX Minimum X.
   * @param {number} maxX Maximum X.
   * @param {number} minY Minimum Y.
   * @param {number} maxY Maximum Y.
   */
  constructor(t, e, n, r) {
    this.minX = t, this.maxX = e, this.minY = n, this.maxY = r;
  }
  /**
   * @param {import("./tilecoord.js").TileCoord} tileCoord Tile coordinate.
   * @return {boolean} Contains tile coordinate.
   */
  contains(t) {
    return this.containsXY(t[1], t[2]);
  }
  /**
   * @param {TileRange} tileRange Tile range.
   * @return {boolean} Contains.
   */
  containsTileRange(t) {
    return this.minX <= t.minX && t.maxX <= this.maxX && this.minY <= t.minY && t.maxY <= this.maxY;
  }
  /**
   * @param {number} x Tile coordinate x.
   * @param {number} y Tile coordinate y.
   * @return {boolean} Contains coordinate.
   */
  containsXY(t, e) {
    return this.minX <= t && t <= this.maxX && this.minY <= e && e <= this.maxY;
  }
  /**
   * @param {TileRange} tileRange Tile range.
   * @return {boolean} Equals.
   */
  equals(t) {
    return this.minX == t.minX && this.minY == t.minY && this.maxX == t.maxX && this.maxY == t.maxY;
  }
  /**
   * @param {TileRange} tileRange Tile range.
   */
  extend(t) {
    t.minX < this.minX && (this.minX = t.minX), t.maxX > this.maxX && (this.maxX = t.maxX), t.minY < this.minY && (this.minY = t.minY), t.maxY > this.maxY && (this.maxY = t.maxY);
  }
  /**
   * @return {number} Height.
   */
  getHeight() {
    return this.maxY - this.minY + 1;
  }
  /**
   * @return {import("./size.js").Size} Size.
   */
  getSize() {
    return [this.getWidth(), this.getHeight()];
  }
  /**
   * @return {number} Width.
   */
  getWidth() {
    return this.maxX - this.minX + 1;
  }
  /**
   * @param {TileRange} tileRange Tile range.
   * @return {boolean} Intersects.
   */
  intersects(t) {
    return this.minX <= t.maxX && this.maxX >= t.minX && this.minY <= t.maxY && this.maxY >= t.minY;
  }
}
function si(i, t, e, n, r) {
  return r !== void 0 ? (r.minX = i, r.maxX = t, r.minY = e, r.maxY = n, r) : new al(i, t, e, n);
}
const Tr = "#3488AF", Jp = "#82C3E0", Su = "#FFFFFF", Cu = "rgba(233, 248, 255, 0.8)", Qp = "#3E9FCC", ll = 4, Tu = "#FFFFFF", tm = {
  "icon-anchor": [0.5, 0.95],
  "icon-anchor-x-units": "fraction",
  "icon-anchor-y-units": "fraction"
}, Ur = {
  "icon-src": Df,
  "icon-width": 40,
  "icon-height": 40,
  ...tm
}, em = {
  ...Ur,
  "icon-src": Wc
}, hl = {
  "stroke-width": ll,
  "stroke-color": Qp,
  "fill-color": Cu
}, wu = {
  ...Ur,
  "icon-width": 50,
  "icon-height": 50
}, nm = {
  ...wu,
  "icon-src": Wc
}, Ru = {
  "stroke-width": 6
}, bu = "rgba(148, 224, 237, 0.7)", im = {
  "circle-radius": 30,
  "circle-fill-color": bu,
  "circle-displacement": [0, 22]
}, cl = 20, rm = {
  "stroke-width": cl,
  "stroke-color": bu,
  "fill-color": "transparent"
}, sm = {
  "stroke-width": cl,
  "stroke-color": "rgba(34, 197, 94, 0.6)",
  "fill-color": "transparent"
}, om = "rgba( 255, 255, 255, 0.1)", am = {
  "stroke-width": cl,
  "stroke-color": om
}, lm = "#6393F2", hm = "rgba(99, 147, 242, 0.3)", cm = "rgba(99, 147, 242, 0.1)", Hs = (i, t, e = 8, n = 2) => new Cn({
  radius: e,
  fill: new ve({ color: i }),
  stroke: new Te({ color: t, width: n })
}), Gn = (i, t) => ["all", ["in", ["geometry-type"], ["literal", i]], ...t];
function um(i, t, e) {
  const n = [
    ["!=", ["get", i], ["var", t]],
    ["!=", ["get", i], ["var", e]]
  ];
  return [
    {
      filter: Gn(["Point"], n),
      style: Ur
    },
    {
      filter: Gn(["LineString", "Polygon"], n),
      style: hl
    },
    {
      filter: Gn(["LineString"], n),
      style: am
    }
  ];
}
function dm(i, t, e) {
  const n = [
    ["==", ["get", i], ["var", t]],
    ["!=", ["get", i], ["var", e]]
  ];
  return [
    {
      filter: Gn(["Point"], n),
      style: [im, Ur, wu]
    },
    {
      filter: Gn(["LineString", "Polygon"], n),
      style: [rm, hl, Ru]
    }
  ];
}
function Ph(i, t) {
  const e = ["==", ["get", i], ["var", t]];
  return [
    {
      filter: Gn(["Point"], [e]),
      style: [em, Ur, nm]
    },
    {
      filter: Gn(["LineString", "Polygon"], [e]),
      style: [sm, hl, Ru]
    }
  ];
}
const gm = (i) => new Lt({
  stroke: new Te({ color: i, width: ll }),
  fill: new ve({ color: Cu })
}), fm = (i, t) => new Lt({
  image: Hs(Su, i),
  geometry: () => t.length > 1 ? new Or(t.slice(0, -1)) : void 0
}), _m = (i, t) => new Lt({
  image: Hs(Tr, Tu),
  geometry: () => {
    if (i === void 0)
      return;
    const e = t[i];
    if (e?.length)
      return new Ht(e);
  }
}), pm = (i, t) => new Lt({
  image: Hs(Su, Tr),
  geometry: () => {
    const e = t[0];
    if (t.length === 1 && e)
      return new Ht(e);
    const n = t.length === 2 ? t[1] : t[t.length - i];
    if (n)
      return new Ht(n);
  }
});
function mm(i, t) {
  return (e) => {
    const n = e?.getGeometry(), r = Ae(n);
    if (!r.length)
      return [];
    const s = !!e.get(i), o = s ? e.get(t) : void 0, a = s && o === void 0 ? Tr : Jp, l = n instanceof jt ? 1 : 2;
    return [
      gm(a),
      fm(a, r),
      pm(l, r),
      _m(o, r)
    ];
  };
}
function ym() {
  const i = Hs(Tr, Tr, 4);
  return ("ontouchstart" in window || navigator.maxTouchPoints > 0) && i.setOpacity(0), new Lt({ image: i });
}
const Pu = 13, Ah = new Lt({
  image: new Cn({
    radius: Pu,
    fill: new ve({ color: lm }),
    stroke: new Te({ color: Tu, width: ll })
  }),
  zIndex: 2
}), xm = new ve({ color: hm }), vm = new Te({ color: cm, width: 1 }), Em = 5;
function Sm(i) {
  const t = [Ah], e = i.getView().getProjection();
  let n = 0, r = t;
  return (s, o) => {
    const a = s.get("accuracy"), l = s.getGeometry();
    let h = 0;
    if (a && l) {
      const u = qo(e, o, l.getCoordinates(), "m");
      u > 0 && (h = a / u);
    }
    if (Math.abs(h - n) < Em)
      return r;
    n = h;
    const c = i.getSize()?.[0] ?? 0;
    return h < Pu || h * 2 > c ? (r = t, r) : (r = [
      new Lt({
        image: new Cn({
          radius: h,
          fill: xm,
          stroke: vm
        }),
        zIndex: 1
      }),
      Ah
    ], r);
  };
}
const dn = {
  UNKNOWN: "unknown",
  SHORT: "short",
  MID: "mid",
  LONG: "long"
}, sn = "XYZM", Au = [0, 0], Fu = 2, oi = 19, Fh = 4, Cm = 50 * 1e3, Tm = 1e3, wm = 30 * 1e3, Rm = 1e3, Wi = 1e3, bm = 500, Ih = 576;
function Pm(i) {
  const t = ae(), e = ae(), n = ae(), r = ae(), s = new Xa(), o = new Ks({
    source: s,
    style: Sm(i)
  });
  i.addLayer(o);
  const a = (y) => {
    if (y.isEmpty())
      return;
    const x = y.getExtent();
    if (Ri(x))
      return;
    const E = i.getView(), v = Ue(x), m = f(E, v), C = [70, 70, 70, 70];
    if (m === dn.LONG) {
      E.animate(
        { zoom: Fh, duration: Wi, easing: pe },
        { center: v, duration: Wi, easing: pe },
        () => {
          E.fit(x, {
            padding: C,
            duration: 0,
            maxZoom: oi
          });
        }
      );
      return;
    }
    E.fit(x, {
      padding: C,
      duration: p(m),
      maxZoom: oi
    });
  }, l = (y, x) => {
    r.value && clearTimeout(r.value), r.value = setTimeout(() => {
      if (!t.value)
        return;
      const { latitude: E, longitude: v, altitude: m, accuracy: C } = y.coords;
      e.value = { latitude: E, longitude: v, altitude: m, accuracy: C }, x();
    }, bm);
  }, h = (y) => {
    u(), y();
  }, c = (y, x) => {
    if (t.value) {
      const E = n.value?.getGeometry()?.getCoordinates();
      E && (_(E, oi), y());
      return;
    }
    if (!navigator.geolocation) {
      h(x);
      return;
    }
    t.value = navigator.geolocation.watchPosition(
      (E) => l(E, y),
      () => h(x),
      {
        enableHighAccuracy: !0,
        timeout: wm,
        maximumAge: Rm
      }
    );
  }, u = () => {
    r.value && (clearTimeout(r.value), r.value = void 0), t.value && (navigator.geolocation.clearWatch(t.value), t.value = void 0), e.value = void 0, s.clear(!0);
  }, d = (y, x, E) => {
    const v = x.getResolutionForExtent(y, E), m = (x.getZoomForResolution(v) ?? 0) - 1;
    return m > 1 ? Math.min(m, oi) : oi;
  }, g = (y) => {
    const x = y.getGeometry(), E = i.getView(), v = i.getSize(), m = x?.getExtent() ?? [];
    if (!x || !E || !v || Ri(m))
      return;
    const C = v[0] ?? 0, T = C < Ih ? -130 : 0, w = C < Ih ? 0 : -70, b = d(m, E, v), L = E.getResolutionForZoom(b), A = -w * L, P = -T * L, R = E.getRotation(), F = Math.cos(R), O = Math.sin(R), [B, D] = Ue(m);
    if (!B || !D)
      return;
    const U = [
      B - A * F + P * O,
      D - A * O - P * F
    ];
    _(U, b);
  }, f = (y, x) => {
    const E = y.getCenter(), v = (C) => C.every((T) => T === 0);
    if (!E || !x || v(E) || v(x))
      return dn.UNKNOWN;
    const m = Zo(hr(E), hr(x));
    return m <= Tm ? dn.SHORT : m > Cm ? dn.LONG : dn.MID;
  }, p = (y) => y === dn.SHORT || y === dn.UNKNOWN ? Wi : 0, _ = (y, x) => {
    const E = i.getView(), v = f(E, y), m = p(v);
    if (v === dn.LONG) {
      E.animate(
        { zoom: Fh, duration: Wi, easing: pe },
        { center: y, duration: Wi, easing: pe },
        { zoom: x, duration: m, easing: pe }
      );
      return;
    }
    E.animate({
      center: y,
      zoom: x,
      duration: m,
      easing: pe
    });
  };
  return Se(
    () => e.value,
    (y) => {
      const x = !n.value;
      if (n.value = void 0, s.clear(!0), !y)
        return;
      const E = ya(
        y.longitude,
        y.latitude,
        y.altitude,
        y.accuracy
      ), v = lr(E);
      n.value = new ne({
        geometry: new Ht(v, sn)
      }), n.value.set("accuracy", y.accuracy), s.addFeature(n.value), x && _(v, oi);
    }
  ), {
    centerFeatureLocation: g,
    centerFullWorldView: () => _(Au, Fu),
    fitToAllFeatures: a,
    getUserCurrentLocation: () => e.value,
    stopWatchingCurrentLocation: u,
    watchCurrentLocation: c
  };
}
const Ae = (i) => i ? i instanceof jt ? i.getCoordinates() : i.getCoordinates()[0] ?? [] : [], Rs = (i, t) => {
  const e = (a) => a.length > 1 && a[0] != null && a[1] != null;
  if (!e(i) || !e(t))
    return { deltaX: 0, deltaY: 0 };
  const [n, r] = i, [s, o] = t;
  return { deltaX: n - s, deltaY: r - o };
}, ul = (i, t) => i ** 2 + t ** 2, Am = (i, t, e) => {
  const { deltaX: n, deltaY: r } = Rs(e, t), s = ul(n, r);
  if (s === 0)
    return t;
  const { deltaX: o, deltaY: a } = Rs(i, t), l = (o * n + a * r) / s, h = Math.max(0, Math.min(1, l)), [c = 0, u = 0] = t;
  return [c + h * n, u + h * r];
}, dl = (i, t) => {
  let e = 1 / 0, n = -1, r = [];
  return i.forEach((s, o) => {
    const a = i[o + 1];
    if (!s || !a)
      return;
    const l = Am(t, s, a), { deltaX: h, deltaY: c } = Rs(t, l), u = ul(h, c);
    u < e && (e = u, n = o, r = l);
  }), { segmentIndex: n, closest: r, squaredDist: e };
}, Ii = (i, t) => i && t && i[0] === t[0] && i[1] === t[1], qs = (i, t, e) => {
  const n = t * e;
  return i <= n ** 2;
}, Fm = (i, t, e, n) => {
  const r = i?.getGeometry();
  return !r || !(r instanceof jt) && !(r instanceof ie) ? !1 : Ae(r).some((s) => {
    const { deltaX: o, deltaY: a } = Rs(t, s), l = ul(o, a);
    return qs(l, e, n);
  });
}, Im = (i, t, e, n) => {
  const r = i?.getGeometry();
  if (r instanceof jt)
    return !0;
  if (r instanceof ie) {
    const s = Ae(r);
    if (s.length < 2)
      return !1;
    const { squaredDist: o } = dl(s, t);
    return qs(o, e, n);
  }
  return !1;
}, Mm = (i, t, e, n) => {
  if (!e)
    return new ne({
      geometry: new jt([t])
    });
  const r = e.getGeometry(), s = Ae(r);
  if (!s.length)
    return;
  const { segmentIndex: o, closest: a, squaredDist: l } = dl(s, t);
  return o >= 0 && qs(l, i, n) ? s.splice(o + 1, 0, a) : s.push(t), r?.setCoordinates(s, sn), e;
}, Lm = (i, t, e, n) => {
  if (!e)
    return new ne({
      geometry: new ie([[t]])
    });
  const r = e.getGeometry(), s = Ae(r);
  if (!s.length)
    return;
  if (s.length < 3)
    s.push(t);
  else {
    const { segmentIndex: l, closest: h, squaredDist: c } = dl(s, t);
    l >= 0 && qs(c, i, n) ? s.splice(l + 1, 0, h) : s.splice(s.length - 1, 0, t);
  }
  const o = s[0], a = s[s.length - 1];
  return s.length >= 3 && o && !Ii(o, a) && s.push([...o]), r?.setCoordinates([s], sn), e;
}, Dm = (i, t) => {
  const e = i?.getGeometry(), n = t?.getGeometry();
  if (!e || !n)
    return;
  const r = n.getCoordinates(), s = Ae(e).findIndex((o) => Ii(o, r));
  return s === -1 ? void 0 : s;
}, Mh = (i, t) => {
  if (!i || t === void 0)
    return [];
  const e = i.getGeometry();
  return Ae(e)[t] ?? [];
}, Om = (i, t) => (i.splice(t, 1), i), km = (i, t) => {
  Ii(i[0], i[i.length - 1]) && (t = t === i.length - 1 ? 0 : t, i.pop()), i.splice(t, 1);
  const e = i[0];
  return i.length > 2 && !Ii(e, i[i.length - 1]) && i.push([...e]), [i];
}, Nm = (i, t) => {
  const e = i?.getGeometry(), n = Ae(e);
  if (e && t >= 0 && t < n.length) {
    const r = e instanceof jt ? Om(n, t) : km(n, t);
    e.setCoordinates(r, sn);
  }
  return n.length;
}, Gm = (i, t, e) => {
  const n = i?.getGeometry(), r = Ae(n);
  if (n && t >= 0 && t < r.length) {
    r[t] = e;
    const s = n instanceof jt ? r : [r];
    n.setCoordinates(s, sn);
  }
}, Bm = (i, t, e, n) => {
  const r = [];
  return Number.isFinite(t) && Number.isFinite(i) && (r.push(t, i), Number.isFinite(n) ? r.push(Number.isFinite(e) ? e : 0, n) : Number.isFinite(e) && r.push(e)), r;
}, Lh = (i) => {
  const t = i.getGeometry();
  if (!t)
    return "";
  const e = (n) => {
    const r = hr(n);
    return Bm(...r).join(" ");
  };
  if (t.getType() === "Point") {
    const n = t.getCoordinates();
    return n?.length ? e(n) : "";
  }
  return Ae(t).map((n) => e(n)).join("; ");
}, Um = () => {
  try {
    const i = document.createElement("canvas");
    return !!(window.WebGLRenderingContext && i.getContext("webgl"));
  } catch {
    return !1;
  }
}, zm = (i, t) => {
  if (!i?.coordinates?.length)
    return;
  const e = i.coordinates;
  if (i.type === "Point" && t === xt.POINT && !Array.isArray(e[0]))
    return lr(e);
  let n = Array.isArray(e[0]) && Array.isArray(e[0][0]) ? e[0] : e;
  if (!n?.length)
    return;
  n = n.map((s) => lr(s));
  const r = Ii(n[0], n[n.length - 1]);
  if (i.type === "LineString" && t === xt.TRACE && !r && n.length >= 2)
    return n;
  if (i.type === "Polygon" && t === xt.SHAPE && r && n.length >= 3)
    return [n];
};
class $m {
  constructor() {
    this.dataProjection = void 0, this.defaultFeatureProjection = void 0, this.featureClass = /** @type {FeatureToFeatureClass<FeatureType>} */
    ne, this.supportedMediaTypes = null;
  }
  /**
   * Adds the data projection to the read options.
   * @param {Document|Element|Object|string} source Source.
   * @param {ReadOptions} [options] Options.
   * @return {ReadOptions|undefined} Options.
   * @protected
   */
  getReadOptions(t, e) {
    if (e) {
      let n = e.dataProjection ? _t(e.dataProjection) : this.readProjection(t);
      e.extent && n && n.getUnits() === "tile-pixels" && (n = _t(n), n.setWorldExtent(e.extent)), e = {
        dataProjection: n,
        featureProjection: e.featureProjection
      };
    }
    return this.adaptOptions(e);
  }
  /**
   * Sets the `dataProjection` on the options, if no `dataProjection`
   * is set.
   * @param {WriteOptions|ReadOptions|undefined} options
   *     Options.
   * @protected
   * @return {WriteOptions|ReadOptions|undefined}
   *     Updated options.
   */
  adaptOptions(t) {
    return Object.assign(
      {
        dataProjection: this.dataProjection,
        featureProjection: this.defaultFeatureProjection,
        featureClass: this.featureClass
      },
      t
    );
  }
  /**
   * @abstract
   * @return {Type} The format type.
   */
  getType() {
    return X();
  }
  /**
   * Read a single feature from a source.
   *
   * @abstract
   * @param {Document|Element|Object|string} source Source.
   * @param {ReadOptions} [options] Read options.
   * @return {FeatureType|Array<FeatureType>} Feature.
   */
  readFeature(t, e) {
    return X();
  }
  /**
   * Read all features from a source.
   *
   * @abstract
   * @param {Document|Element|ArrayBuffer|Object|string} source Source.
   * @param {ReadOptions} [options] Read options.
   * @return {Array<FeatureType>} Features.
   */
  readFeatures(t, e) {
    return X();
  }
  /**
   * Read a single geometry from a source.
   *
   * @abstract
   * @param {Document|Element|Object|string} source Source.
   * @param {ReadOptions} [options] Read options.
   * @return {import("../geom/Geometry.js").default} Geometry.
   */
  readGeometry(t, e) {
    return X();
  }
  /**
   * Read the projection from a source.
   *
   * @abstract
   * @param {Document|Element|Object|string} source Source.
   * @return {import("../proj/Projection.js").default|undefined} Projection.
   */
  readProjection(t) {
    return X();
  }
  /**
   * Encode a feature in this format.
   *
   * @abstract
   * @param {Feature} feature Feature.
   * @param {WriteOptions} [options] Write options.
   * @return {string|ArrayBuffer} Result.
   */
  writeFeature(t, e) {
    return X();
  }
  /**
   * Encode an array of features in this format.
   *
   * @abstract
   * @param {Array<Feature>} features Features.
   * @param {WriteOptions} [options] Write options.
   * @return {string|ArrayBuffer} Result.
   */
  writeFeatures(t, e) {
    return X();
  }
  /**
   * Write a single geometry in this format.
   *
   * @abstract
   * @param {import("../geom/Geometry.js").default} geometry Geometry.
   * @param {WriteOptions} [options] Write options.
   * @return {string|ArrayBuffer} Result.
   */
  writeGeometry(t, e) {
    return X();
  }
}
function gl(i, t, e) {
  const n = e ? _t(e.featureProjection) : null, r = e ? _t(e.dataProjection) : null;
  let s = i;
  if (n && r && !er(n, r)) {
    t && (s = /** @type {T} */
    i.clone());
    const o = t ? n : r, a = t ? r : n;
    o.getUnits() === "tile-pixels" ? s.transform(o, a) : s.applyTransform(cr(o, a));
  }
  if (t && e && /** @type {WriteOptions} */
  e.decimals !== void 0) {
    const o = Math.pow(
      10,
      /** @type {WriteOptions} */
      e.decimals
    ), a = function(l) {
      for (let h = 0, c = l.length; h < c; ++h)
        l[h] = Math.round(l[h] * o) / o;
      return l;
    };
    s === i && (s = /** @type {T} */
    i.clone()), s.applyTransform(a);
  }
  return s;
}
const jm = {
  Point: Ht,
  LineString: jt,
  Polygon: ie,
  MultiPoint: Or,
  MultiLineString: pr,
  MultiPolygon: mr
};
function Vm(i, t, e) {
  return Array.isArray(t[0]) ? (Mc(i, 0, t, e) || (i = i.slice(), ea(i, 0, t, e)), i) : (Ua(i, 0, t, e) || (i = i.slice(), ys(i, 0, t, e)), i);
}
function Iu(i, t) {
  const e = i.geometry;
  if (!e)
    return [];
  if (Array.isArray(e))
    return e.map((s) => Iu({ ...i, geometry: s })).flat();
  const n = e.type === "MultiPolygon" ? "Polygon" : e.type;
  if (n === "GeometryCollection" || n === "Circle")
    throw new Error("Unsupported geometry type: " + n);
  const r = e.layout.length;
  return gl(
    new Qt(
      n,
      n === "Polygon" ? Vm(e.flatCoordinates, e.ends, r) : e.flatCoordinates,
      e.ends?.flat(),
      r,
      i.properties || {},
      i.id
    ).enableSimplifyTransformed(),
    !1,
    t
  );
}
function fl(i, t) {
  if (!i)
    return null;
  if (Array.isArray(i)) {
    const n = i.map(
      (r) => fl(r, t)
    );
    return new gr(n);
  }
  const e = jm[i.type];
  return gl(
    new e(i.flatCoordinates, i.layout || "XY", i.ends),
    !1,
    t
  );
}
class Wm extends $m {
  constructor() {
    super();
  }
  /**
   * @return {import("./Feature.js").Type} Format.
   * @override
   */
  getType() {
    return "json";
  }
  /**
   * Read a feature.  Only works for a single feature. Use `readFeatures` to
   * read a feature collection.
   *
   * @param {ArrayBuffer|Document|Element|Object|string} source Source.
   * @param {import("./Feature.js").ReadOptions} [options] Read options.
   * @return {FeatureType|Array<FeatureType>} Feature.
   * @api
   * @override
   */
  readFeature(t, e) {
    return this.readFeatureFromObject(
      ns(t),
      this.getReadOptions(t, e)
    );
  }
  /**
   * Read all features.  Works with both a single feature and a feature
   * collection.
   *
   * @param {ArrayBuffer|Document|Element|Object|string} source Source.
   * @param {import("./Feature.js").ReadOptions} [options] Read options.
   * @return {Array<FeatureType>} Features.
   * @api
   * @override
   */
  readFeatures(t, e) {
    return this.readFeaturesFromObject(
      ns(t),
      this.getReadOptions(t, e)
    );
  }
  /**
   * @abstract
   * @param {Object} object Object.
   * @param {import("./Feature.js").ReadOptions} [options] Read options.
   * @protected
   * @return {FeatureType|Array<FeatureType>} Feature.
   */
  readFeatureFromObject(t, e) {
    return X();
  }
  /**
   * @abstract
   * @param {Object} object Object.
   * @param {import("./Feature.js").ReadOptions} [options] Read options.
   * @protected
   * @return {Array<FeatureType>} Features.
   */
  readFeaturesFromObject(t, e) {
    return X();
  }
  /**
   * Read a geometry.
   *
   * @param {ArrayBuffer|Document|Element|Object|string} source Source.
   * @param {import("./Feature.js").ReadOptions} [options] Read options.
   * @return {import("../geom/Geometry.js").default} Geometry.
   * @api
   * @override
   */
  readGeometry(t, e) {
    return this.readGeometryFromObject(
      ns(t),
      this.getReadOptions(t, e)
    );
  }
  /**
   * @abstract
   * @param {Object} object Object.
   * @param {import("./Feature.js").ReadOptions} [options] Read options.
   * @protected
   * @return {import("../geom/Geometry.js").default} Geometry.
   */
  readGeometryFromObject(t, e) {
    return X();
  }
  /**
   * Read the projection.
   *
   * @param {ArrayBuffer|Document|Element|Object|string} source Source.
   * @return {import("../proj/Projection.js").default} Projection.
   * @api
   * @override
   */
  readProjection(t) {
    return this.readProjectionFromObject(ns(t));
  }
  /**
   * @abstract
   * @param {Object} object Object.
   * @protected
   * @return {import("../proj/Projection.js").default} Projection.
   */
  readProjectionFromObject(t) {
    return X();
  }
  /**
   * Encode a feature as string.
   *
   * @param {import("../Feature.js").default} feature Feature.
   * @param {import("./Feature.js").WriteOptions} [options] Write options.
   * @return {string} Encoded feature.
   * @api
   * @override
   */
  writeFeature(t, e) {
    return JSON.stringify(this.writeFeatureObject(t, e));
  }
  /**
   * @abstract
   * @param {import("../Feature.js").default} feature Feature.
   * @param {import("./Feature.js").WriteOptions} [options] Write options.
   * @return {Object} Object.
   */
  writeFeatureObject(t, e) {
    return X();
  }
  /**
   * Encode an array of features as string.
   *
   * @param {Array<import("../Feature.js").default>} features Features.
   * @param {import("./Feature.js").WriteOptions} [options] Write options.
   * @return {string} Encoded features.
   * @api
   * @override
   */
  writeFeatures(t, e) {
    return JSON.stringify(this.writeFeaturesObject(t, e));
  }
  /**
   * @abstract
   * @param {Array<import("../Feature.js").default>} features Features.
   * @param {import("./Feature.js").WriteOptions} [options] Write options.
   * @return {Object} Object.
   */
  writeFeaturesObject(t, e) {
    return X();
  }
  /**
   * Encode a geometry as string.
   *
   * @param {import("../geom/Geometry.js").default} geometry Geometry.
   * @param {import("./Feature.js").WriteOptions} [options] Write options.
   * @return {string} Encoded geometry.
   * @api
   * @override
   */
  writeGeometry(t, e) {
    return JSON.stringify(this.writeGeometryObject(t, e));
  }
  /**
   * @abstract
   * @param {import("../geom/Geometry.js").default} geometry Geometry.
   * @param {import("./Feature.js").WriteOptions} [options] Write options.
   * @return {Object} Object.
   */
  writeGeometryObject(t, e) {
    return X();
  }
}
function ns(i) {
  return typeof i == "string" ? JSON.parse(i) || null : i !== null ? i : null;
}
class Dh extends Wm {
  /**
   * @param {Options<FeatureType>} [options] Options.
   */
  constructor(t) {
    t = t || {}, super(), this.dataProjection = _t(
      t.dataProjection ? t.dataProjection : "EPSG:4326"
    ), t.featureProjection && (this.defaultFeatureProjection = _t(t.featureProjection)), t.featureClass && (this.featureClass = t.featureClass), this.geometryName_ = t.geometryName, this.extractGeometryName_ = t.extractGeometryName, this.supportedMediaTypes = [
      "application/geo+json",
      "application/vnd.geo+json"
    ];
  }
  /**
   * @param {Object} object Object.
   * @param {import("./Feature.js").ReadOptions} [options] Read options.
   * @protected
   * @return {FeatureType|Array<FeatureType>} Feature.
   * @override
   */
  readFeatureFromObject(t, e) {
    let n = null;
    t.type === "Feature" ? n = /** @type {GeoJSONFeature} */
    t : n = {
      type: "Feature",
      geometry: (
        /** @type {GeoJSONGeometry} */
        t
      ),
      properties: null
    };
    const r = _l(n.geometry);
    if (this.featureClass === Qt)
      return (
        /** @type {FeatureType|Array<FeatureType>} */
        Iu(
          {
            geometry: r,
            id: n.id,
            properties: n.properties
          },
          e
        )
      );
    const s = new ne();
    return this.geometryName_ ? s.setGeometryName(this.geometryName_) : this.extractGeometryName_ && n.geometry_name && s.setGeometryName(n.geometry_name), s.setGeometry(fl(r, e)), "id" in n && s.setId(n.id), n.properties && s.setProperties(n.properties, !0), /** @type {FeatureType|Array<FeatureType>} */
    s;
  }
  /**
   * @param {Object} object Object.
   * @param {import("./Feature.js").ReadOptions} [options] Read options.
   * @protected
   * @return {Array<FeatureType>} Features.
   * @override
   */
  readFeaturesFromObject(t, e) {
    const n = (
      /** @type {GeoJSONObject} */
      t
    );
    let r = null;
    if (n.type === "FeatureCollection") {
      const s = (
        /** @type {GeoJSONFeatureCollection} */
        t
      );
      r = [];
      const o = s.features;
      for (let a = 0, l = o.length; a < l; ++a) {
        const h = this.readFeatureFromObject(
          o[a],
          e
        );
        h && r.push(h);
      }
    } else
      r = [this.readFeatureFromObject(t, e)];
    return (
      /** @type {Array<FeatureType>} */
      r.flat()
    );
  }
  /**
   * @param {GeoJSONGeometry} object Object.
   * @param {import("./Feature.js").ReadOptions} [options] Read options.
   * @protected
   * @return {import("../geom/Geometry.js").default} Geometry.
   * @override
   */
  readGeometryFromObject(t, e) {
    return Xm(t, e);
  }
  /**
   * @param {Object} object Object.
   * @protected
   * @return {import("../proj/Projection.js").default} Projection.
   * @override
   */
  readProjectionFromObject(t) {
    const e = t.crs;
    let n;
    if (e)
      if (e.type == "name")
        n = _t(e.properties.name);
      else if (e.type === "EPSG")
        n = _t("EPSG:" + e.properties.code);
      else
        throw new Error("Unknown SRS type");
    else
      n = this.dataProjection;
    return (
      /** @type {import("../proj/Projection.js").default} */
      n
    );
  }
  /**
   * Encode a feature as a GeoJSON Feature object.
   *
   * @param {import("../Feature.js").default} feature Feature.
   * @param {import("./Feature.js").WriteOptions} [options] Write options.
   * @return {GeoJSONFeature} Object.
   * @api
   * @override
   */
  writeFeatureObject(t, e) {
    e = this.adaptOptions(e);
    const n = {
      type: "Feature",
      geometry: null,
      properties: null
    }, r = t.getId();
    if (r !== void 0 && (n.id = r), !t.hasProperties())
      return n;
    const s = t.getProperties(), o = t.getGeometry();
    return o && (n.geometry = da(o, e), delete s[t.getGeometryName()]), Bn(s) || (n.properties = s), n;
  }
  /**
   * Encode an array of features as a GeoJSON object.
   *
   * @param {Array<import("../Feature.js").default>} features Features.
   * @param {import("./Feature.js").WriteOptions} [options] Write options.
   * @return {GeoJSONFeatureCollection} GeoJSON Object.
   * @api
   * @override
   */
  writeFeaturesObject(t, e) {
    e = this.adaptOptions(e);
    const n = [];
    for (let r = 0, s = t.length; r < s; ++r)
      n.push(this.writeFeatureObject(t[r], e));
    return {
      type: "FeatureCollection",
      features: n
    };
  }
  /**
   * Encode a geometry as a GeoJSON object.
   *
   * @param {import("../geom/Geometry.js").default} geometry Geometry.
   * @param {import("./Feature.js").WriteOptions} [options] Write options.
   * @return {GeoJSONGeometry|GeoJSONGeometryCollection} Object.
   * @api
   * @override
   */
  writeGeometryObject(t, e) {
    return da(t, this.adaptOptions(e));
  }
}
function _l(i, t) {
  if (!i)
    return null;
  let e;
  switch (i.type) {
    case "Point": {
      e = Zm(
        /** @type {GeoJSONPoint} */
        i
      );
      break;
    }
    case "LineString": {
      e = Km(
        /** @type {GeoJSONLineString} */
        i
      );
      break;
    }
    case "Polygon": {
      e = Qm(
        /** @type {GeoJSONPolygon} */
        i
      );
      break;
    }
    case "MultiPoint": {
      e = qm(
        /** @type {GeoJSONMultiPoint} */
        i
      );
      break;
    }
    case "MultiLineString": {
      e = Hm(
        /** @type {GeoJSONMultiLineString} */
        i
      );
      break;
    }
    case "MultiPolygon": {
      e = Jm(
        /** @type {GeoJSONMultiPolygon} */
        i
      );
      break;
    }
    case "GeometryCollection": {
      e = Ym(
        /** @type {GeoJSONGeometryCollection} */
        i
      );
      break;
    }
    default:
      throw new Error("Unsupported GeoJSON type: " + i.type);
  }
  return e;
}
function Xm(i, t) {
  const e = _l(i);
  return fl(e, t);
}
function Ym(i, t) {
  return i.geometries.map(
    /**
     * @param {GeoJSONGeometry} geometry Geometry.
     * @return {import("./Feature.js").GeometryObject} geometry Geometry.
     */
    function(e) {
      return _l(e);
    }
  );
}
function Zm(i) {
  const t = i.coordinates;
  return {
    type: "Point",
    flatCoordinates: t,
    layout: Yn(t.length)
  };
}
function Km(i) {
  const t = i.coordinates, e = t.flat();
  return {
    type: "LineString",
    flatCoordinates: e,
    ends: [e.length],
    layout: Yn(t[0]?.length || 2)
  };
}
function Hm(i) {
  const t = i.coordinates, e = t[0]?.[0]?.length || 2, n = [], r = Dr(n, 0, t, e);
  return {
    type: "MultiLineString",
    flatCoordinates: n,
    ends: r,
    layout: Yn(e)
  };
}
function qm(i) {
  const t = i.coordinates;
  return {
    type: "MultiPoint",
    flatCoordinates: t.flat(),
    layout: Yn(t[0]?.length || 2)
  };
}
function Jm(i) {
  const t = i.coordinates, e = [], n = t[0]?.[0]?.[0].length || 2, r = Tc(
    e,
    0,
    t,
    n
  );
  return {
    type: "MultiPolygon",
    flatCoordinates: e,
    ends: r,
    layout: Yn(n)
  };
}
function Qm(i) {
  const t = i.coordinates, e = [], n = t[0]?.[0]?.length, r = Dr(e, 0, t, n);
  return {
    type: "Polygon",
    flatCoordinates: e,
    ends: r,
    layout: Yn(n)
  };
}
function da(i, t) {
  i = gl(i, !0, t);
  const e = i.getType();
  let n;
  switch (e) {
    case "Point": {
      n = s0(
        /** @type {import("../geom/Point.js").default} */
        i
      );
      break;
    }
    case "LineString": {
      n = e0(
        /** @type {import("../geom/LineString.js").default} */
        i
      );
      break;
    }
    case "Polygon": {
      n = o0(
        /** @type {import("../geom/Polygon.js").default} */
        i,
        t
      );
      break;
    }
    case "MultiPoint": {
      n = i0(
        /** @type {import("../geom/MultiPoint.js").default} */
        i
      );
      break;
    }
    case "MultiLineString": {
      n = n0(
        /** @type {import("../geom/MultiLineString.js").default} */
        i
      );
      break;
    }
    case "MultiPolygon": {
      n = r0(
        /** @type {import("../geom/MultiPolygon.js").default} */
        i,
        t
      );
      break;
    }
    case "GeometryCollection": {
      n = t0(
        /** @type {import("../geom/GeometryCollection.js").default} */
        i,
        t
      );
      break;
    }
    case "Circle": {
      n = {
        type: "GeometryCollection",
        geometries: []
      };
      break;
    }
    default:
      throw new Error("Unsupported geometry type: " + e);
  }
  return n;
}
function t0(i, t) {
  return t = Object.assign({}, t), delete t.featureProjection, {
    type: "GeometryCollection",
    geometries: i.getGeometriesArray().map(function(e) {
      return da(e, t);
    })
  };
}
function e0(i, t) {
  return {
    type: "LineString",
    coordinates: i.getCoordinates()
  };
}
function n0(i, t) {
  return {
    type: "MultiLineString",
    coordinates: i.getCoordinates()
  };
}
function i0(i, t) {
  return {
    type: "MultiPoint",
    coordinates: i.getCoordinates()
  };
}
function r0(i, t) {
  let e;
  return t && (e = t.rightHanded), {
    type: "MultiPolygon",
    coordinates: i.getCoordinates(e)
  };
}
function s0(i, t) {
  return {
    type: "Point",
    coordinates: i.getCoordinates()
  };
}
function o0(i, t) {
  let e;
  return t && (e = t.rightHanded), {
    type: "Polygon",
    coordinates: i.getCoordinates(e)
  };
}
const Oh = "EPSG:4326", qe = "odk_feature_id", Je = "odk_selected_vertex_index", _i = "odk_saved_id", us = "odk_selected_id", wr = "odk_is_selected";
function a0(i, t, e, n) {
  const r = ae(), s = ae(), o = (m) => {
    const C = new Dh().readFeature(m, {
      dataProjection: Oh,
      featureProjection: i.getView().getProjection()
    });
    return Array.isArray(C) ? C[0] : C;
  }, a = (m, C) => {
    if (m === xt.SHAPE)
      return new ne({
        geometry: new ie(C, sn)
      });
    if (m === xt.TRACE)
      return new ne({
        geometry: new jt(C, sn)
      });
    if (m === xt.POINT)
      return new ne({ geometry: new Ht(C, sn) });
  }, l = (m, C) => {
    m.clear(!0), m.addFeature(C), _(C), e.fitToAllFeatures(m);
  }, h = (m, C) => {
    const T = new Dh().readFeatures(C, {
      dataProjection: Oh,
      featureProjection: i.getView().getProjection()
    });
    T.forEach((w) => {
      w.get(qe) || w.set(qe, crypto.randomUUID());
    }), m.addFeatures(T), e.fitToAllFeatures(m);
  }, c = (m, C) => {
    t.canSelectFeatureOrVertex && (r.value?.set(wr, !1), r.value?.set(Je, void 0), m?.set(Je, C), m?.set(wr, !0)), r.value = m;
  }, u = () => {
    const m = s.value?.get(qe), C = r.value?.get(qe);
    return m?.length > 0 && m === C;
  }, d = (m, C) => {
    n.updateStyleVariables && n.updateStyleVariables({
      [m]: C?.get(qe) ?? ""
    });
  }, g = (m, C, T = !1) => {
    if (!C || m.isEmpty()) {
      _(void 0);
      return;
    }
    const w = m.forEachFeature((b) => {
      if (b.getProperties()?.[Ci] === C.properties?.[Ci])
        return b;
    });
    w && (_(w), (T || !f(w)) && e.centerFeatureLocation(w));
  }, f = (m) => {
    const C = i.getView().calculateExtent(i.getSize()), T = m.getGeometry()?.getExtent();
    return T ? Yt(C, T) : !1;
  }, p = () => _(r.value), _ = (m) => s.value = m, y = () => r.value, x = () => s.value, E = () => x()?.getProperties()?.[Ci] ?? "", v = () => r.value?.getProperties();
  return Se(
    () => r.value,
    (m) => {
      d(us, m), m && !t.canSelectFeatureOrVertex && e.centerFeatureLocation(m);
    }
  ), Se(
    () => s.value,
    (m) => {
      d(_i, m);
    }
  ), {
    createFeatureFromGeoJSON: o,
    createFeatureFromType: a,
    findAndSaveFeature: g,
    getSavedFeature: x,
    getSavedFeatureValue: E,
    getSelectedFeature: y,
    getSelectedFeatureProperties: v,
    isSavedFeatureSelected: u,
    loadAndSaveSingleFeature: l,
    loadFeatureCollection: h,
    saveFeature: _,
    saveSelectedFeature: p,
    selectFeature: c
  };
}
function yi(i, t) {
  const e = i.length;
  return t < 0 ? i[t + e] : t >= e ? i[t - e] : i[t];
}
function Ji(i, t) {
  const e = i.length;
  let n = Math.floor(t);
  const r = t - n;
  n >= e ? n -= e : n < 0 && (n += e);
  let s = n + 1;
  s >= e && (s -= e);
  const o = i[n], a = o[0], l = o[1], h = i[s], c = h[0] - a, u = h[1] - l;
  return [a + c * r, l + u * r];
}
const is = {
  index: -1,
  endIndex: NaN,
  closestTargetDistance: 1 / 0
};
function l0(i, t, e, n) {
  const r = i[0], s = i[1];
  let o = 1 / 0, a = -1, l = NaN;
  for (let u = 0; u < t.targets.length; ++u) {
    const d = t.targets[u], g = d.coordinates;
    let f = 1 / 0, p;
    for (let _ = 0; _ < g.length - 1; ++_) {
      const y = g[_], x = g[_ + 1], E = Lu(r, s, y, x);
      E.squaredDistance < f && (f = E.squaredDistance, p = _ + E.along);
    }
    f < o && (o = f, d.ring && t.targetIndex === u && (d.endIndex > d.startIndex ? p < d.startIndex && (p += g.length) : d.endIndex < d.startIndex && p > d.startIndex && (p -= g.length)), l = p, a = u);
  }
  const h = t.targets[a];
  let c = h.ring;
  if (t.targetIndex === a && c) {
    const u = Ji(
      h.coordinates,
      l
    ), d = e.getPixelFromCoordinate(u), g = e.getPixelFromCoordinate(t.startCoord);
    Yi(d, g) > n && (c = !1);
  }
  if (c) {
    const u = h.coordinates, d = u.length, g = h.startIndex, f = l;
    if (g < f) {
      const p = os(
        u,
        g,
        f
      );
      os(
        u,
        g,
        f - d
      ) < p && (l -= d);
    } else {
      const p = os(
        u,
        g,
        f
      );
      os(
        u,
        g,
        f + d
      ) < p && (l += d);
    }
  }
  return is.index = a, is.endIndex = l, is.closestTargetDistance = o, is;
}
function h0(i, t) {
  const e = [];
  for (let n = 0; n < t.length; ++n) {
    const r = t[n].getGeometry();
    Mu(i, r, e);
  }
  return e;
}
function Mu(i, t, e) {
  if (t instanceof jt) {
    rs(i, t.getCoordinates(), !1, e);
    return;
  }
  if (t instanceof pr) {
    const n = t.getCoordinates();
    for (let r = 0, s = n.length; r < s; ++r)
      rs(i, n[r], !1, e);
    return;
  }
  if (t instanceof ie) {
    const n = t.getCoordinates();
    for (let r = 0, s = n.length; r < s; ++r)
      rs(i, n[r], !0, e);
    return;
  }
  if (t instanceof mr) {
    const n = t.getCoordinates();
    for (let r = 0, s = n.length; r < s; ++r) {
      const o = n[r];
      for (let a = 0, l = o.length; a < l; ++a)
        rs(i, o[a], !0, e);
    }
    return;
  }
  if (t instanceof gr) {
    const n = t.getGeometries();
    for (let r = 0; r < n.length; ++r)
      Mu(i, n[r], e);
    return;
  }
}
function rs(i, t, e, n) {
  const r = i[0], s = i[1];
  for (let o = 0, a = t.length - 1; o < a; ++o) {
    const l = t[o], h = t[o + 1], c = Lu(r, s, l, h);
    if (c.squaredDistance === 0) {
      const u = o + c.along;
      n.push({
        coordinates: t,
        ring: e,
        startIndex: u,
        endIndex: u
      });
      return;
    }
  }
}
function ss(i, t) {
  return tn(i[0], i[1], t[0], t[1]);
}
function os(i, t, e) {
  let n, r;
  t < e ? (n = t, r = e) : (n = e, r = t);
  const s = Math.ceil(n), o = Math.floor(r);
  if (s > o) {
    const l = Ji(i, n), h = Ji(i, r);
    return ss(l, h);
  }
  let a = 0;
  if (n < s) {
    const l = Ji(i, n), h = yi(i, s);
    a += ss(l, h);
  }
  if (o < r) {
    const l = yi(i, o), h = Ji(i, r);
    a += ss(l, h);
  }
  for (let l = s; l < o - 1; ++l) {
    const h = yi(i, l), c = yi(i, l + 1);
    a += ss(h, c);
  }
  return a;
}
const Ro = { along: 0, squaredDistance: 0 };
function Lu(i, t, e, n) {
  const r = e[0], s = e[1], o = n[0], a = n[1], l = o - r, h = a - s;
  let c = 0, u = r, d = s;
  return (l !== 0 || h !== 0) && (c = dt(((i - r) * l + (t - s) * h) / (l * l + h * h), 0, 1), u += l * c, d += h * c), Ro.along = c, Ro.squaredDistance = Ar(tn(i, t, u, d), 10), Ro;
}
const kh = 0, rr = 1, Nh = [0, 0, 0, 0], Ei = [], bo = {
  /**
   * Triggered upon feature modification start
   * @event ModifyEvent#modifystart
   * @api
   */
  MODIFYSTART: "modifystart",
  /**
   * Triggered upon feature modification end
   * @event ModifyEvent#modifyend
   * @api
   */
  MODIFYEND: "modifyend"
};
function Po(i, t, e) {
  let n;
  switch (t) {
    case "LineString":
      n = i;
      break;
    case "MultiLineString":
    case "Polygon":
      n = i[e[0]];
      break;
    case "MultiPolygon":
      n = i[e[1]][e[0]];
      break;
  }
  return n;
}
class Ao extends Pe {
  /**
   * @param {ModifyEventType} type Type.
   * @param {Collection<Feature>} features
   * The features modified.
   * @param {import("../MapBrowserEvent.js").default} mapBrowserEvent
   * Associated {@link module:ol/MapBrowserEvent~MapBrowserEvent}.
   */
  constructor(t, e, n) {
    super(t), this.features = e, this.mapBrowserEvent = n;
  }
}
class c0 extends Kn {
  /**
   * @param {Options} options Options.
   */
  constructor(t) {
    super(
      /** @type {import("./Pointer.js").Options} */
      t
    ), this.on, this.once, this.un, this.boundHandleFeatureChange_ = this.handleFeatureChange_.bind(this), this.condition_ = t.condition ? t.condition : yu, this.defaultDeleteCondition_ = function(n) {
      return Pp(n) && Mp(n);
    }, this.deleteCondition_ = t.deleteCondition ? t.deleteCondition : this.defaultDeleteCondition_, this.insertVertexCondition_ = t.insertVertexCondition ? t.insertVertexCondition : ws, this.vertexFeature_ = null, this.vertexSegments_ = null, this.lastCoordinate_ = [0, 0], this.ignoreNextSingleClick_ = !1, this.featuresBeingModified_ = null, this.rBush_ = new sa(), this.pixelTolerance_ = t.pixelTolerance !== void 0 ? t.pixelTolerance : 10, this.snappedToVertex_ = !1, this.changingFeature_ = !1, this.dragSegments_ = [], this.overlay_ = new Ks({
      source: new Xa({
        useSpatialIndex: !1,
        wrapX: !!t.wrapX
      }),
      style: t.style ? t.style : d0(),
      updateWhileAnimating: !0,
      updateWhileInteracting: !0
    }), this.SEGMENT_WRITERS_ = {
      Point: this.writePointGeometry_.bind(this),
      LineString: this.writeLineStringGeometry_.bind(this),
      LinearRing: this.writeLineStringGeometry_.bind(this),
      Polygon: this.writePolygonGeometry_.bind(this),
      MultiPoint: this.writeMultiPointGeometry_.bind(this),
      MultiLineString: this.writeMultiLineStringGeometry_.bind(this),
      MultiPolygon: this.writeMultiPolygonGeometry_.bind(this),
      Circle: this.writeCircleGeometry_.bind(this),
      GeometryCollection: this.writeGeometryCollectionGeometry_.bind(this)
    }, this.source_ = null, this.traceSource_ = t.traceSource || t.source || null, this.traceCondition_, this.setTrace(t.trace || !1), this.traceState_ = { active: !1 }, this.traceSegments_ = null, this.hitDetection_ = null;
    let e;
    if (t.features ? e = t.features : t.source && (this.source_ = t.source, e = new Nt(this.source_.getFeatures()), this.source_.addEventListener(
      Pt.ADDFEATURE,
      this.handleSourceAdd_.bind(this)
    ), this.source_.addEventListener(
      Pt.REMOVEFEATURE,
      this.handleSourceRemove_.bind(this)
    )), !e)
      throw new Error(
        "The modify interaction requires features, a source or a layer"
      );
    t.hitDetection && (this.hitDetection_ = t.hitDetection), this.features_ = e, this.features_.forEach(this.addFeature_.bind(this)), this.features_.addEventListener(
      zt.ADD,
      this.handleFeatureAdd_.bind(this)
    ), this.features_.addEventListener(
      zt.REMOVE,
      this.handleFeatureRemove_.bind(this)
    ), this.lastPointerEvent_ = null, this.delta_ = [0, 0], this.snapToPointer_ = t.snapToPointer === void 0 ? !this.hitDetection_ : t.snapToPointer;
  }
  /**
   * Toggle tracing mode or set a tracing condition.
   *
   * @param {boolean|import("../events/condition.js").Condition} trace A boolean to toggle tracing mode or an event
   *     condition that will be checked when a feature is clicked to determine if tracing should be active.
   */
  setTrace(t) {
    let e;
    t ? t === !0 ? e = ws : e = t : e = Ip, this.traceCondition_ = e;
  }
  /**
   * @param {Feature} feature Feature.
   * @private
   */
  addFeature_(t) {
    const e = t.getGeometry();
    if (e) {
      const r = this.SEGMENT_WRITERS_[e.getType()];
      r && r(t, e);
    }
    const n = this.getMap();
    n && n.isRendered() && this.getActive() && this.handlePointerAtPixel_(this.lastCoordinate_), t.addEventListener(Y.CHANGE, this.boundHandleFeatureChange_);
  }
  /**
   * @param {import("../MapBrowserEvent.js").default} evt Map browser event.
   * @param {Array<SegmentData>} segments The segments subject to modification.
   * @private
   */
  willModifyFeatures_(t, e) {
    if (!this.featuresBeingModified_) {
      this.featuresBeingModified_ = new Nt();
      const n = this.featuresBeingModified_.getArray();
      for (let r = 0, s = e.length; r < s; ++r) {
        const o = e[r].feature;
        o && !n.includes(o) && this.featuresBeingModified_.push(o);
      }
      this.featuresBeingModified_.getLength() === 0 ? this.featuresBeingModified_ = null : this.dispatchEvent(
        new Ao(
          bo.MODIFYSTART,
          this.featuresBeingModified_,
          t
        )
      );
    }
  }
  /**
   * @param {Feature} feature Feature.
   * @private
   */
  removeFeature_(t) {
    this.removeFeatureSegmentData_(t), this.vertexFeature_ && this.features_.getLength() === 0 && (this.overlay_.getSource().removeFeature(this.vertexFeature_), this.vertexFeature_ = null), t.removeEventListener(
      Y.CHANGE,
      this.boundHandleFeatureChange_
    );
  }
  /**
   * @param {Feature} feature Feature.
   * @private
   */
  removeFeatureSegmentData_(t) {
    const e = this.rBush_, n = [];
    e.forEach(
      /**
       * @param {SegmentData} node RTree node.
       */
      function(r) {
        t === r.feature && n.push(r);
      }
    );
    for (let r = n.length - 1; r >= 0; --r) {
      const s = n[r];
      for (let o = this.dragSegments_.length - 1; o >= 0; --o)
        this.dragSegments_[o][0] === s && this.dragSegments_.splice(o, 1);
      e.remove(s);
    }
  }
  /**
   * Activate or deactivate the interaction.
   * @param {boolean} active Active.
   * @observable
   * @api
   * @override
   */
  setActive(t) {
    this.vertexFeature_ && !t && (this.overlay_.getSource().removeFeature(this.vertexFeature_), this.vertexFeature_ = null), super.setActive(t);
  }
  /**
   * Remove the interaction from its current map and attach it to the new map.
   * Subclasses may set up event handlers to get notified about changes to
   * the map here.
   * @param {import("../Map.js").default} map Map.
   * @override
   */
  setMap(t) {
    this.overlay_.setMap(t), super.setMap(t);
  }
  /**
   * Get the overlay layer that this interaction renders the modification point or vertex to.
   * @return {VectorLayer} Overlay layer.
   * @api
   */
  getOverlay() {
    return this.overlay_;
  }
  /**
   * @param {import("../source/Vector.js").VectorSourceEvent} event Event.
   * @private
   */
  handleSourceAdd_(t) {
    t.feature && this.features_.push(t.feature);
  }
  /**
   * @param {import("../source/Vector.js").VectorSourceEvent} event Event.
   * @private
   */
  handleSourceRemove_(t) {
    t.feature && this.features_.remove(t.feature);
  }
  /**
   * @param {import("../Collection.js").CollectionEvent<Feature>} evt Event.
   * @private
   */
  handleFeatureAdd_(t) {
    this.addFeature_(t.element);
  }
  /**
   * @param {import("../events/Event.js").default} evt Event.
   * @private
   */
  handleFeatureChange_(t) {
    if (!this.changingFeature_) {
      const e = (
        /** @type {Feature} */
        t.target
      );
      this.removeFeature_(e), this.addFeature_(e);
    }
  }
  /**
   * @param {import("../Collection.js").CollectionEvent<Feature>} evt Event.
   * @private
   */
  handleFeatureRemove_(t) {
    this.removeFeature_(t.element);
  }
  /**
   * @param {Feature} feature Feature
   * @param {Point} geometry Geometry.
   * @private
   */
  writePointGeometry_(t, e) {
    const n = e.getCoordinates(), r = {
      feature: t,
      geometry: e,
      segment: [n, n]
    };
    this.rBush_.insert(e.getExtent(), r);
  }
  /**
   * @param {Feature} feature Feature
   * @param {import("../geom/MultiPoint.js").default} geometry Geometry.
   * @private
   */
  writeMultiPointGeometry_(t, e) {
    const n = e.getCoordinates();
    for (let r = 0, s = n.length; r < s; ++r) {
      const o = n[r], a = {
        feature: t,
        geometry: e,
        depth: [r],
        index: r,
        segment: [o, o]
      };
      this.rBush_.insert(e.getExtent(), a);
    }
  }
  /**
   * @param {Feature} feature Feature
   * @param {import("../geom/LineString.js").default} geometry Geometry.
   * @private
   */
  writeLineStringGeometry_(t, e) {
    const n = e.getCoordinates();
    for (let r = 0, s = n.length - 1; r < s; ++r) {
      const o = n.slice(r, r + 2), a = {
        feature: t,
        geometry: e,
        index: r,
        segment: o
      };
      this.rBush_.insert(qt(o), a);
    }
  }
  /**
   * @param {Feature} feature Feature
   * @param {import("../geom/MultiLineString.js").default} geometry Geometry.
   * @private
   */
  writeMultiLineStringGeometry_(t, e) {
    const n = e.getCoordinates();
    for (let r = 0, s = n.length; r < s; ++r) {
      const o = n[r];
      for (let a = 0, l = o.length - 1; a < l; ++a) {
        const h = o.slice(a, a + 2), c = {
          feature: t,
          geometry: e,
          depth: [r],
          index: a,
          segment: h
        };
        this.rBush_.insert(qt(h), c);
      }
    }
  }
  /**
   * @param {Feature} feature Feature
   * @param {import("../geom/Polygon.js").default} geometry Geometry.
   * @private
   */
  writePolygonGeometry_(t, e) {
    const n = e.getCoordinates();
    for (let r = 0, s = n.length; r < s; ++r) {
      const o = n[r];
      for (let a = 0, l = o.length - 1; a < l; ++a) {
        const h = o.slice(a, a + 2), c = {
          feature: t,
          geometry: e,
          depth: [r],
          index: a,
          segment: h
        };
        this.rBush_.insert(qt(h), c);
      }
    }
  }
  /**
   * @param {Feature} feature Feature
   * @param {import("../geom/MultiPolygon.js").default} geometry Geometry.
   * @private
   */
  writeMultiPolygonGeometry_(t, e) {
    const n = e.getCoordinates();
    for (let r = 0, s = n.length; r < s; ++r) {
      const o = n[r];
      for (let a = 0, l = o.length; a < l; ++a) {
        const h = o[a];
        for (let c = 0, u = h.length - 1; c < u; ++c) {
          const d = h.slice(c, c + 2), g = {
            feature: t,
            geometry: e,
            depth: [a, r],
            index: c,
            segment: d
          };
          this.rBush_.insert(qt(d), g);
        }
      }
    }
  }
  /**
   * We convert a circle into two segments.  The segment at index
   * {@link CIRCLE_CENTER_INDEX} is the
   * circle's center (a point).  The segment at index
   * {@link CIRCLE_CIRCUMFERENCE_INDEX} is
   * the circumference, and is not a line segment.
   *
   * @param {Feature} feature Feature.
   * @param {import("../geom/Circle.js").default} geometry Geometry.
   * @private
   */
  writeCircleGeometry_(t, e) {
    const n = e.getCenter(), r = {
      feature: t,
      geometry: e,
      index: kh,
      segment: [n, n]
    }, s = {
      feature: t,
      geometry: e,
      index: rr,
      segment: [n, n]
    }, o = [r, s];
    r.featureSegments = o, s.featureSegments = o, this.rBush_.insert(Qi(n), r);
    let a = (
      /** @type {import("../geom/Geometry.js").default} */
      e
    );
    this.rBush_.insert(a.getExtent(), s);
  }
  /**
   * @param {Feature} feature Feature
   * @param {import("../geom/GeometryCollection.js").default} geometry Geometry.
   * @private
   */
  writeGeometryCollectionGeometry_(t, e) {
    const n = e.getGeometriesArray();
    for (let r = 0; r < n.length; ++r) {
      const s = n[r], o = this.SEGMENT_WRITERS_[s.getType()];
      o(t, s);
    }
  }
  /**
   * @param {import("../coordinate.js").Coordinate} coordinates Coordinates.
   * @param {Array<Feature>} features The features being modified.
   * @param {Array<import("../geom/SimpleGeometry.js").default>} geometries The geometries being modified.
   * @param {boolean} existing The vertex represents an existing vertex.
   * @return {Feature} Vertex feature.
   * @private
   */
  createOrUpdateVertexFeature_(t, e, n, r) {
    let s = this.vertexFeature_;
    return s ? s.getGeometry().setCoordinates(t) : (s = new ne(new Ht(t)), this.vertexFeature_ = s, this.overlay_.getSource().addFeature(s)), s.set("features", e), s.set("geometries", n), s.set("existing", r), s;
  }
  /**
   * Handles the {@link module:ol/MapBrowserEvent~MapBrowserEvent map browser event} and may modify the geometry.
   * @param {import("../MapBrowserEvent.js").default} mapBrowserEvent Map browser event.
   * @return {boolean} `false` to stop event propagation.
   * @override
   */
  handleEvent(t) {
    if (!t.originalEvent)
      return !0;
    this.lastPointerEvent_ = t;
    let e;
    return !t.map.getView().getInteracting() && t.type == lt.POINTERMOVE && !this.handlingDownUpSequence && this.handlePointerMove_(t), this.vertexFeature_ && this.deleteCondition_(t) && (t.type != lt.SINGLECLICK || !this.ignoreNextSingleClick_ ? e = this.removePoint() : e = !0), t.type == lt.SINGLECLICK && (this.ignoreNextSingleClick_ = !1), super.handleEvent(t) && !e;
  }
  /**
   * @param {import("../coordinate.js").Coordinate} pixelCoordinate Pixel coordinate.
   * @return {Array<SegmentData>|undefined} Insert vertices and update drag segments.
   * @private
   */
  findInsertVerticesAndUpdateDragSegments_(t) {
    if (this.handlePointerAtPixel_(t), this.dragSegments_.length = 0, this.featuresBeingModified_ = null, !this.vertexFeature_)
      return;
    this.getMap().getView().getProjection();
    const e = [], n = this.vertexFeature_.getGeometry().getCoordinates(), r = qt([n]), s = this.rBush_.getInExtent(r), o = {};
    s.sort(u0);
    for (let a = 0, l = s.length; a < l; ++a) {
      const h = s[a], c = h.segment;
      let u = z(h.geometry);
      const d = h.depth;
      if (d && (u += "-" + d.join("-")), o[u] || (o[u] = new Array(2)), h.geometry.getType() === "Circle" && h.index === rr) {
        const g = Bh(
          t,
          h
        );
        Xt(g, n) && !o[u][0] && (this.dragSegments_.push([h, 0]), o[u][0] = h);
        continue;
      }
      if (Xt(c[0], n) && !o[u][0]) {
        this.dragSegments_.push([h, 0]), o[u][0] = h;
        continue;
      }
      if (Xt(c[1], n) && !o[u][1]) {
        if (o[u][0] && o[u][0].index === 0) {
          let g = h.geometry.getCoordinates();
          switch (h.geometry.getType()) {
            // prevent dragging closed linestrings by the connecting node
            case "LineString":
            case "MultiLineString":
              continue;
            // if dragging the first vertex of a polygon, ensure the other segment
            // belongs to the closing vertex of the linear ring
            case "MultiPolygon":
              g = g[d[1]];
            /* falls through */
            case "Polygon":
              if (h.index !== g[d[0]].length - 2)
                continue;
              break;
          }
        }
        this.dragSegments_.push([h, 1]), o[u][1] = h;
        continue;
      }
      z(c) in this.vertexSegments_ && !o[u][0] && !o[u][1] && e.push(h);
    }
    return e;
  }
  /**
   * @private
   */
  deactivateTrace_() {
    this.traceState_ = { active: !1 };
  }
  /**
   * Update the trace.
   * @param {import("../MapBrowserEvent.js").default} event Event.
   * @private
   */
  updateTrace_(t) {
    const e = this.traceState_;
    if (!e.active)
      return;
    if (e.targetIndex === -1) {
      const s = t.map.getPixelFromCoordinate(e.startCoord);
      if (Yi(s, t.pixel) < this.pixelTolerance_)
        return;
    }
    const n = l0(
      t.coordinate,
      e,
      t.map,
      this.pixelTolerance_
    );
    if (e.targetIndex === -1 && Math.sqrt(n.closestTargetDistance) / t.map.getView().getResolution() > this.pixelTolerance_)
      return;
    if (e.targetIndex !== n.index) {
      if (e.targetIndex !== -1) {
        const o = e.targets[e.targetIndex];
        this.removeTracedCoordinates_(o.startIndex, o.endIndex);
      } else
        for (const o of this.traceSegments_) {
          const a = o[0], l = a.geometry, h = o[1], c = l.getCoordinates();
          Po(
            c,
            l.getType(),
            a.depth
          ).splice(a.index + h, 1), l.setCoordinates(c), h === 0 && (a.index -= 1);
        }
      const s = e.targets[n.index];
      this.addTracedCoordinates_(
        s,
        s.startIndex,
        n.endIndex
      );
    } else {
      const s = e.targets[e.targetIndex];
      this.addOrRemoveTracedCoordinates_(s, n.endIndex);
    }
    e.targetIndex = n.index;
    const r = e.targets[e.targetIndex];
    r.endIndex = n.endIndex;
  }
  getTraceCandidates_(t) {
    const e = this.getMap(), n = this.pixelTolerance_, r = e.getCoordinateFromPixel([
      t.pixel[0] - n,
      t.pixel[1] + n
    ]), s = e.getCoordinateFromPixel([
      t.pixel[0] + n,
      t.pixel[1] - n
    ]), o = qt([r, s]);
    return this.traceSource_.getFeaturesInExtent(o);
  }
  /**
   * Activate or deactivate trace state based on a browser event.
   * @param {import("../MapBrowserEvent.js").default} event Event.
   * @private
   */
  toggleTraceState_(t) {
    if (!this.traceSource_ || !this.traceCondition_(t))
      return;
    if (this.traceState_.active) {
      this.deactivateTrace_(), this.traceSegments_ = null;
      return;
    }
    const e = this.getTraceCandidates_(t);
    if (e.length === 0)
      return;
    const n = h0(t.coordinate, e);
    n.length && (this.traceState_ = {
      active: !0,
      startCoord: t.coordinate.slice(),
      targets: n,
      targetIndex: -1
    });
  }
  /**
   * @param {import('./tracing.js').TraceTarget} target The trace target.
   * @param {number} endIndex The new end index of the trace.
   * @private
   */
  addOrRemoveTracedCoordinates_(t, e) {
    const n = t.startIndex <= t.endIndex, r = t.startIndex <= e;
    n === r ? n && e > t.endIndex || !n && e < t.endIndex ? this.addTracedCoordinates_(t, t.endIndex, e) : (n && e < t.endIndex || !n && e > t.endIndex) && this.removeTracedCoordinates_(e, t.endIndex) : (this.removeTracedCoordinates_(t.startIndex, t.endIndex), this.addTracedCoordinates_(t, t.startIndex, e));
  }
  /**
   * @param {number} fromIndex The start index.
   * @param {number} toIndex The end index.
   * @private
   */
  removeTracedCoordinates_(t, e) {
    if (t === e)
      return;
    let n = 0;
    if (t < e) {
      const r = Math.ceil(t);
      let s = Math.floor(e);
      s === e && (s -= 1), n = s - r + 1;
    } else {
      const r = Math.floor(t);
      let s = Math.ceil(e);
      s === e && (s += 1), n = r - s + 1;
    }
    if (n > 0)
      for (const r of this.traceSegments_) {
        const s = r[0], o = s.geometry, a = r[1];
        let l = r[0].index + 1;
        a === 1 && (l -= n);
        const h = o.getCoordinates();
        Po(
          h,
          o.getType(),
          s.depth
        ).splice(l, n), o.setCoordinates(h), a === 1 && (s.index -= n);
      }
  }
  /**
   * @param {import('./tracing.js').TraceTarget} target The trace target.
   * @param {number} fromIndex The start index.
   * @param {number} toIndex The end index.
   * @private
   */
  addTracedCoordinates_(t, e, n) {
    if (e === n)
      return;
    const r = [];
    if (e < n) {
      const s = Math.ceil(e);
      let o = Math.floor(n);
      o === n && (o -= 1);
      for (let a = s; a <= o; ++a)
        r.push(yi(t.coordinates, a));
    } else {
      const s = Math.floor(e);
      let o = Math.ceil(n);
      o === n && (o += 1);
      for (let a = s; a >= o; --a)
        r.push(yi(t.coordinates, a));
    }
    if (r.length)
      for (const s of this.traceSegments_) {
        const o = s[0], a = o.geometry, l = s[1], h = o.index + 1;
        l === 0 && r.reverse();
        const c = a.getCoordinates();
        Po(
          c,
          a.getType(),
          o.depth
        ).splice(h, 0, ...r), a.setCoordinates(c), l === 1 && (o.index += r.length);
      }
  }
  /**
   * @param {import('../coordinate.js').Coordinate} vertex Vertex.
   * @param {DragSegment} dragSegment Drag segment.
   */
  updateGeometry_(t, e) {
    const n = e[0], r = n.depth;
    let s;
    const o = n.segment, a = n.geometry, l = e[1];
    for (; t.length < a.getStride(); )
      t.push(o[l][t.length]);
    switch (a.getType()) {
      case "Point":
        s = t, o[0] = t, o[1] = t;
        break;
      case "MultiPoint":
        s = a.getCoordinates(), s[n.index] = t, o[0] = t, o[1] = t;
        break;
      case "LineString":
        s = a.getCoordinates(), s[n.index + l] = t, o[l] = t;
        break;
      case "MultiLineString":
        s = a.getCoordinates(), s[r[0]][n.index + l] = t, o[l] = t;
        break;
      case "Polygon":
        s = a.getCoordinates(), s[r[0]][n.index + l] = t, o[l] = t;
        break;
      case "MultiPolygon":
        s = a.getCoordinates(), s[r[1]][r[0]][n.index + l] = t, o[l] = t;
        break;
      case "Circle":
        const h = (
          /** @type {import("../geom/Circle.js").default} */
          a
        );
        if (o[0] = t, o[1] = t, n.index === kh)
          this.changingFeature_ = !0, h.setCenter(t), this.changingFeature_ = !1;
        else {
          this.changingFeature_ = !0, this.getMap().getView().getProjection();
          let c = Yi(
            gt(h.getCenter()),
            gt(t)
          );
          h.setRadius(c), this.changingFeature_ = !1;
        }
        break;
    }
    s && this.setGeometryCoordinates_(a, s);
  }
  /**
   * Handle pointer drag events.
   * @param {import("../MapBrowserEvent.js").default} evt Event.
   * @override
   */
  handleDragEvent(t) {
    this.ignoreNextSingleClick_ = !1, this.willModifyFeatures_(
      t,
      this.dragSegments_.map(([o]) => o)
    );
    const e = [
      t.coordinate[0] + this.delta_[0],
      t.coordinate[1] + this.delta_[1]
    ], n = [], r = [], s = this.traceState_.active && !this.traceSegments_ ? this.traceState_.startCoord : null;
    if (s) {
      this.traceSegments_ = [];
      for (const o of this.dragSegments_) {
        const a = o[0];
        Yi(
          Ea(s, a.segment),
          s
        ) / t.map.getView().getResolution() < 1 && this.traceSegments_.push(o);
      }
    }
    for (let o = 0, a = this.dragSegments_.length; o < a; ++o) {
      const l = this.dragSegments_[o], h = l[0], c = h.feature;
      n.includes(c) || n.push(c);
      const u = h.geometry;
      r.includes(u) || r.push(u), this.updateGeometry_(e, l);
    }
    this.updateTrace_(t), this.createOrUpdateVertexFeature_(e, n, r, !0);
  }
  /**
   * Handle pointer down events.
   * @param {import("../MapBrowserEvent.js").default} evt Event.
   * @return {boolean} If the event was consumed.
   * @override
   */
  handleDownEvent(t) {
    if (!this.condition_(t))
      return !1;
    const e = t.coordinate, n = this.findInsertVerticesAndUpdateDragSegments_(e);
    if (n?.length && this.insertVertexCondition_(t) && (this.willModifyFeatures_(t, n), this.vertexFeature_)) {
      const r = this.vertexFeature_.getGeometry().getCoordinates();
      for (let s = n.length - 1; s >= 0; --s)
        this.insertVertex_(n[s], r);
      this.ignoreNextSingleClick_ = !0;
    }
    return !!this.vertexFeature_;
  }
  /**
   * Handle pointer up events.
   * @param {import("../MapBrowserEvent.js").default} evt Event.
   * @return {boolean} If the event was consumed.
   * @override
   */
  handleUpEvent(t) {
    for (let e = this.dragSegments_.length - 1; e >= 0; --e) {
      const n = this.dragSegments_[e][0], r = n.geometry;
      if (r.getType() === "Circle") {
        const s = (
          /** @type {import("../geom/Circle.js").default} */
          r
        ), o = s.getCenter(), a = n.featureSegments[0], l = n.featureSegments[1];
        a.segment[0] = o, a.segment[1] = o, l.segment[0] = o, l.segment[1] = o, this.rBush_.update(Qi(o), a);
        let h = s;
        this.rBush_.update(
          h.getExtent(),
          l
        );
      } else
        this.rBush_.update(qt(n.segment), n);
    }
    return this.featuresBeingModified_ && (this.toggleTraceState_(t), this.dispatchEvent(
      new Ao(
        bo.MODIFYEND,
        this.featuresBeingModified_,
        t
      )
    ), this.featuresBeingModified_ = null), !1;
  }
  /**
   * @param {import("../MapBrowserEvent.js").default} evt Event.
   * @private
   */
  handlePointerMove_(t) {
    this.lastCoordinate_ = t.coordinate, this.handlePointerAtPixel_(this.lastCoordinate_);
  }
  /**
   * @param {import("../coordinate.js").Coordinate} pixelCoordinate The pixel Coordinate.
   * @private
   */
  handlePointerAtPixel_(t) {
    const e = this.getMap(), n = e.getPixelFromCoordinate(t);
    e.getView().getProjection();
    const r = function(a, l) {
      return Gh(t, a) - Gh(t, l);
    };
    let s, o;
    if (this.hitDetection_) {
      const a = typeof this.hitDetection_ == "object" ? (l) => l === this.hitDetection_ : void 0;
      e.forEachFeatureAtPixel(
        n,
        (l, h, c) => {
          c && c.getType() === "Point" && (c = new Ht(
            Un(c.getCoordinates())
          ));
          const u = c || l.getGeometry();
          if (u && u.getType() === "Point" && l instanceof ne && this.features_.getArray().includes(l)) {
            o = /** @type {Point} */
            u;
            const d = (
              /** @type {Point} */
              l.getGeometry().getFlatCoordinates().slice(0, 2)
            );
            s = [
              {
                feature: l,
                geometry: o,
                segment: [d, d]
              }
            ];
          }
          return !0;
        },
        { layerFilter: a }
      );
    }
    if (!s) {
      const a = Qe(
        Qi(t, Nh)
      ), l = e.getView().getResolution() * this.pixelTolerance_, h = Aa(
        br(a, l, Nh)
      );
      s = this.rBush_.getInExtent(h);
    }
    if (s && s.length > 0) {
      const a = s.sort(r)[0], l = a.segment;
      let h = Bh(t, a);
      const c = e.getPixelFromCoordinate(h);
      let u = Yi(n, c);
      if (o || u <= this.pixelTolerance_) {
        const d = {};
        if (d[z(l)] = !0, this.snapToPointer_ || (this.delta_[0] = h[0] - t[0], this.delta_[1] = h[1] - t[1]), a.geometry.getType() === "Circle" && a.index === rr)
          this.snappedToVertex_ = !0, this.createOrUpdateVertexFeature_(
            h,
            [a.feature],
            [a.geometry],
            this.snappedToVertex_
          );
        else {
          const g = e.getPixelFromCoordinate(l[0]), f = e.getPixelFromCoordinate(l[1]), p = sr(c, g), _ = sr(c, f);
          if (u = Math.sqrt(Math.min(p, _)), this.snappedToVertex_ = u <= this.pixelTolerance_, !this.snappedToVertex_ && !this.insertVertexCondition_(this.lastPointerEvent_)) {
            this.vertexFeature_ && (this.overlay_.getSource().removeFeature(this.vertexFeature_), this.vertexFeature_ = null);
            return;
          }
          this.snappedToVertex_ && (h = p > _ ? l[1] : l[0]), this.createOrUpdateVertexFeature_(
            h,
            [a.feature],
            [a.geometry],
            this.snappedToVertex_
          );
          const y = {};
          y[z(a.geometry)] = !0;
          for (let x = 1, E = s.length; x < E; ++x) {
            const v = s[x].segment;
            if (Xt(l[0], v[0]) && Xt(l[1], v[1]) || Xt(l[0], v[1]) && Xt(l[1], v[0])) {
              const m = z(s[x].geometry);
              m in y || (y[m] = !0, d[z(v)] = !0);
            } else
              break;
          }
        }
        this.vertexSegments_ = d;
        return;
      }
    }
    this.vertexFeature_ && (this.overlay_.getSource().removeFeature(this.vertexFeature_), this.vertexFeature_ = null);
  }
  /**
   * @param {SegmentData} segmentData Segment data.
   * @param {import("../coordinate.js").Coordinate} vertex Vertex.
   * @return {boolean} A vertex was inserted.
   * @private
   */
  insertVertex_(t, e) {
    const n = t.segment, r = t.feature, s = t.geometry, o = t.depth, a = t.index;
    let l;
    for (; e.length < s.getStride(); )
      e.push(0);
    switch (s.getType()) {
      case "MultiLineString":
        l = s.getCoordinates(), l[o[0]].splice(a + 1, 0, e);
        break;
      case "Polygon":
        l = s.getCoordinates(), l[o[0]].splice(a + 1, 0, e);
        break;
      case "MultiPolygon":
        l = s.getCoordinates(), l[o[1]][o[0]].splice(a + 1, 0, e);
        break;
      case "LineString":
        l = s.getCoordinates(), l.splice(a + 1, 0, e);
        break;
      default:
        return !1;
    }
    this.setGeometryCoordinates_(s, l);
    const h = this.rBush_;
    h.remove(t), this.updateSegmentIndices_(s, a, o, 1);
    const c = {
      segment: [n[0], e],
      feature: r,
      geometry: s,
      depth: o,
      index: a
    };
    h.insert(qt(c.segment), c), this.dragSegments_.push([c, 1]);
    const u = {
      segment: [e, n[1]],
      feature: r,
      geometry: s,
      depth: o,
      index: a + 1
    };
    return h.insert(qt(u.segment), u), this.dragSegments_.push([u, 0]), !0;
  }
  /**
   * @param {import("../coordinate.js").Coordinate} coordinate The coordinate.
   * @return {import("../coordinate.js").Coordinate} The updated pointer coordinate.
   * @private
   */
  updatePointer_(t) {
    return t && this.findInsertVerticesAndUpdateDragSegments_(t), this.vertexFeature_?.getGeometry().getCoordinates();
  }
  /**
   * Get the current pointer position.
   * @return {import("../coordinate.js").Coordinate | null} The current pointer coordinate.
   */
  getPoint() {
    const t = this.vertexFeature_?.getGeometry().getCoordinates();
    return t ? Un(
      t,
      this.getMap().getView().getProjection()
    ) : null;
  }
  /**
   * Check if a point can be removed from the current linestring or polygon at the current
   * pointer position.
   * @return {boolean} A point can be deleted at the current pointer position.
   * @api
   */
  canRemovePoint() {
    if (!this.vertexFeature_ || this.vertexFeature_.get("geometries").every(
      (e) => e.getType() === "Circle" || e.getType().endsWith("Point")
    ))
      return !1;
    const t = this.vertexFeature_.getGeometry().getCoordinates();
    return this.rBush_.getInExtent(qt([t])).some(
      ({ segment: e }) => Xt(e[0], t) || Xt(e[1], t)
    );
  }
  /**
   * Removes the vertex currently being pointed from the current linestring or polygon.
   * @param {import('../coordinate.js').Coordinate} [coordinate] If provided, the pointer
   * will be set to the provided coordinate. If not, the current pointer coordinate will be used.
   * @return {boolean} True when a vertex was removed.
   * @api
   */
  removePoint(t) {
    if (t && (t = gt(
      t,
      this.getMap().getView().getProjection()
    ), this.updatePointer_(t)), !this.lastPointerEvent_ || this.lastPointerEvent_ && this.lastPointerEvent_.type != lt.POINTERDRAG) {
      const e = this.lastPointerEvent_;
      this.willModifyFeatures_(
        e,
        this.dragSegments_.map(([r]) => r)
      );
      const n = this.removeVertex_();
      return this.featuresBeingModified_ && this.dispatchEvent(
        new Ao(
          bo.MODIFYEND,
          this.featuresBeingModified_,
          e
        )
      ), this.featuresBeingModified_ = null, n;
    }
    return !1;
  }
  /**
   * Removes a vertex from all matching features.
   * @return {boolean} True when a vertex was removed.
   * @private
   */
  removeVertex_() {
    const t = this.dragSegments_, e = {};
    let n = !1, r, s, o, a, l, h, c, u, d, g, f;
    for (l = t.length - 1; l >= 0; --l)
      o = t[l], g = o[0], f = z(g.feature), g.depth && (f += "-" + g.depth.join("-")), f in e || (e[f] = {}), o[1] === 0 ? (e[f].right = g, e[f].index = g.index) : o[1] == 1 && (e[f].left = g, e[f].index = g.index + 1);
    for (f in e) {
      switch (d = e[f].right, c = e[f].left, h = e[f].index, u = h - 1, c !== void 0 ? g = c : g = d, u < 0 && (u = 0), a = g.geometry, s = a.getCoordinates(), r = s, n = !1, a.getType()) {
        case "MultiLineString":
          s[g.depth[0]].length > 2 && (s[g.depth[0]].splice(h, 1), n = !0);
          break;
        case "LineString":
          s.length > 2 && (s.splice(h, 1), n = !0);
          break;
        case "MultiPolygon":
          r = r[g.depth[1]];
        /* falls through */
        case "Polygon":
          r = r[g.depth[0]], r.length > 4 && (h == r.length - 1 && (h = 0), r.splice(h, 1), n = !0, h === 0 && (r.pop(), r.push(r[0]), u = r.length - 1));
          break;
      }
      if (n) {
        this.setGeometryCoordinates_(a, s);
        const p = [];
        if (c !== void 0 && (this.rBush_.remove(c), p.push(c.segment[0])), d !== void 0 && (this.rBush_.remove(d), p.push(d.segment[1])), c !== void 0 && d !== void 0) {
          const _ = {
            depth: g.depth,
            feature: g.feature,
            geometry: g.geometry,
            index: u,
            segment: p
          };
          this.rBush_.insert(
            qt(_.segment),
            _
          );
        }
        this.updateSegmentIndices_(a, h, g.depth, -1), this.vertexFeature_ && (this.overlay_.getSource().removeFeature(this.vertexFeature_), this.vertexFeature_ = null), t.length = 0;
      }
    }
    return n;
  }
  /**
   * Check if a point can be inserted to the current linestring or polygon at the current
   * pointer position.
   * @return {boolean} A point can be inserted at the current pointer position.
   * @api
   */
  canInsertPoint() {
    if (!this.vertexFeature_ || this.vertexFeature_.get("geometries").every(
      (e) => e.getType() === "Circle" || e.getType().endsWith("Point")
    ))
      return !1;
    const t = this.vertexFeature_.getGeometry().getCoordinates();
    return this.rBush_.getInExtent(qt([t])).some(
      ({ segment: e }) => !(Xt(e[0], t) || Xt(e[1], t))
    );
  }
  /**
   * Inserts the vertex currently being pointed to the current linestring or polygon.
   * @param {import('../coordinate.js').Coordinate} [coordinate] If provided, the pointer
   * will be set to the provided coordinate. If not, the current pointer coordinate will be used.
   * @return {boolean} A vertex was inserted.
   * @api
   */
  insertPoint(t) {
    const e = t ? gt(t, this.getMap().getView().getProjection()) : this.vertexFeature_?.getGeometry().getCoordinates();
    return e ? this.findInsertVerticesAndUpdateDragSegments_(e).reduce(
      (n, r) => n || this.insertVertex_(r, e),
      !1
    ) : !1;
  }
  /**
   * @param {import("../geom/SimpleGeometry.js").default} geometry Geometry.
   * @param {Array} coordinates Coordinates.
   * @private
   */
  setGeometryCoordinates_(t, e) {
    this.changingFeature_ = !0, t.setCoordinates(e), this.changingFeature_ = !1;
  }
  /**
   * @param {import("../geom/SimpleGeometry.js").default} geometry Geometry.
   * @param {number} index Index.
   * @param {Array<number>|undefined} depth Depth.
   * @param {number} delta Delta (1 or -1).
   * @private
   */
  updateSegmentIndices_(t, e, n, r) {
    this.rBush_.forEachInExtent(
      t.getExtent(),
      function(s) {
        s.geometry === t && (n === void 0 || s.depth === void 0 || ze(s.depth, n)) && s.index > e && (s.index += r);
      }
    );
  }
}
function u0(i, t) {
  return i.index - t.index;
}
function Gh(i, t, e) {
  const n = t.geometry;
  if (n.getType() === "Circle") {
    let s = (
      /** @type {import("../geom/Circle.js").default} */
      n
    );
    if (t.index === rr) {
      const o = sr(
        s.getCenter(),
        gt(i)
      ), a = Math.sqrt(o) - s.getRadius();
      return a * a;
    }
  }
  const r = gt(i);
  return Ei[0] = gt(t.segment[0]), Ei[1] = gt(t.segment[1]), Sd(r, Ei);
}
function Bh(i, t, e) {
  const n = t.geometry;
  if (n.getType() === "Circle" && t.index === rr)
    return Un(
      /** @type {import("../geom/Circle.js").default} */
      n.getClosestPoint(
        gt(i)
      )
    );
  const r = gt(i);
  return Ei[0] = gt(t.segment[0]), Ei[1] = gt(t.segment[1]), Un(
    Ea(r, Ei)
  );
}
function d0() {
  const i = Mf();
  return function(t, e) {
    return i.Point;
  };
}
const Fo = {
  /**
   * Triggered upon feature translation start.
   * @event TranslateEvent#translatestart
   * @api
   */
  TRANSLATESTART: "translatestart",
  /**
   * Triggered upon feature translation.
   * @event TranslateEvent#translating
   * @api
   */
  TRANSLATING: "translating",
  /**
   * Triggered upon feature translation end.
   * @event TranslateEvent#translateend
   * @api
   */
  TRANSLATEEND: "translateend"
};
class Io extends Pe {
  /**
   * @param {TranslateEventType} type Type.
   * @param {Collection<Feature>} features The features translated.
   * @param {import("../coordinate.js").Coordinate} coordinate The event coordinate.
   * @param {import("../coordinate.js").Coordinate} startCoordinate The original coordinates before.translation started
   * @param {import("../MapBrowserEvent.js").default} mapBrowserEvent Map browser event.
   */
  constructor(t, e, n, r, s) {
    super(t), this.features = e, this.coordinate = n, this.startCoordinate = r, this.mapBrowserEvent = s;
  }
}
class g0 extends Kn {
  /**
   * @param {Options} [options] Options.
   */
  constructor(t) {
    t = t || {}, super(
      /** @type {import("./Pointer.js").Options} */
      t
    ), this.on, this.once, this.un, this.lastCoordinate_ = null, this.startCoordinate_ = null, this.features_ = t.features !== void 0 ? t.features : null;
    let e;
    if (t.layers && !this.features_)
      if (typeof t.layers == "function")
        e = t.layers;
      else {
        const n = t.layers;
        e = function(r) {
          return n.includes(r);
        };
      }
    else
      e = zn;
    this.layerFilter_ = e, this.filter_ = t.filter && !this.features_ ? t.filter : zn, this.hitTolerance_ = t.hitTolerance ? t.hitTolerance : 0, this.condition_ = t.condition ? t.condition : ws, this.lastFeature_ = null, this.addChangeListener(
      ca.ACTIVE,
      this.handleActiveChanged_
    );
  }
  /**
   * Handle pointer down events.
   * @param {import("../MapBrowserEvent.js").default} event Event.
   * @return {boolean} If the event was consumed.
   * @override
   */
  handleDownEvent(t) {
    if (!t.originalEvent || !this.condition_(t))
      return !1;
    if (this.lastFeature_ = this.featuresAtPixel_(t.pixel, t.map), !this.lastCoordinate_ && this.lastFeature_) {
      this.startCoordinate_ = t.coordinate, this.lastCoordinate_ = t.coordinate, this.handleMoveEvent(t);
      const e = this.features_ || new Nt([this.lastFeature_]);
      return this.dispatchEvent(
        new Io(
          Fo.TRANSLATESTART,
          e,
          t.coordinate,
          this.startCoordinate_,
          t
        )
      ), !0;
    }
    return !1;
  }
  /**
   * Handle pointer up events.
   * @param {import("../MapBrowserEvent.js").default} event Event.
   * @return {boolean} If the event was consumed.
   * @override
   */
  handleUpEvent(t) {
    if (this.lastCoordinate_) {
      this.lastCoordinate_ = null, this.handleMoveEvent(t);
      const e = this.features_ || new Nt([this.lastFeature_]);
      return this.dispatchEvent(
        new Io(
          Fo.TRANSLATEEND,
          e,
          t.coordinate,
          this.startCoordinate_,
          t
        )
      ), this.startCoordinate_ = null, !0;
    }
    return !1;
  }
  /**
   * Handle pointer drag events.
   * @param {import("../MapBrowserEvent.js").default} event Event.
   * @override
   */
  handleDragEvent(t) {
    if (this.lastCoordinate_) {
      const e = t.coordinate;
      t.map.getView().getProjection();
      const n = gt(e), r = gt(
        this.lastCoordinate_
      ), s = n[0] - r[0], o = n[1] - r[1], a = this.features_ || new Nt([this.lastFeature_]);
      a.forEach(function(l) {
        const h = l.getGeometry();
        h.translate(s, o), l.setGeometry(h);
      }), this.lastCoordinate_ = e, this.dispatchEvent(
        new Io(
          Fo.TRANSLATING,
          a,
          e,
          this.startCoordinate_,
          t
        )
      );
    }
  }
  /**
   * Handle pointer move events.
   * @param {import("../MapBrowserEvent.js").default} event Event.
   * @override
   */
  handleMoveEvent(t) {
    const e = t.map.getViewport();
    this.featuresAtPixel_(t.pixel, t.map) ? (e.classList.remove(this.lastCoordinate_ ? "ol-grab" : "ol-grabbing"), e.classList.add(this.lastCoordinate_ ? "ol-grabbing" : "ol-grab")) : e.classList.remove("ol-grab", "ol-grabbing");
  }
  /**
   * Tests to see if the given coordinates intersects any of our selected
   * features.
   * @param {import("../pixel.js").Pixel} pixel Pixel coordinate to test for intersection.
   * @param {import("../Map.js").default} map Map to test the intersection on.
   * @return {Feature} Returns the feature found at the specified pixel
   * coordinates.
   * @private
   */
  featuresAtPixel_(t, e) {
    return e.forEachFeatureAtPixel(
      t,
      (n, r) => {
        if (!(!(n instanceof ne) || !this.filter_(n, r)) && !(this.features_ && !this.features_.getArray().includes(n)))
          return n;
      },
      {
        layerFilter: this.layerFilter_,
        hitTolerance: this.hitTolerance_
      }
    );
  }
  /**
   * Returns the Hit-detection tolerance.
   * @return {number} Hit tolerance in pixels.
   * @api
   */
  getHitTolerance() {
    return this.hitTolerance_;
  }
  /**
   * Hit-detection tolerance. Pixels inside the radius around the given position
   * will be checked for features.
   * @param {number} hitTolerance Hit tolerance in pixels.
   * @api
   */
  setHitTolerance(t) {
    this.hitTolerance_ = t;
  }
  /**
   * Remove the interaction from its current map and attach it to the new map.
   * Subclasses may set up event handlers to get notified about changes to
   * the map here.
   * @param {import("../Map.js").default} map Map.
   * @override
   */
  setMap(t) {
    const e = this.getMap();
    super.setMap(t), this.updateState_(e);
  }
  /**
   * @private
   */
  handleActiveChanged_() {
    this.updateState_(null);
  }
  /**
   * @param {import("../Map.js").default} oldMap Old map.
   * @private
   */
  updateState_(t) {
    let e = this.getMap();
    const n = this.getActive();
    (!e || !n) && (e = e || t, e && e.getViewport().classList.remove("ol-grab", "ol-grabbing"));
  }
}
class bs {
  constructor() {
    this.globalCounter_ = 0, this.refToFeature_ = /* @__PURE__ */ new Map(), this.uidToRef_ = /* @__PURE__ */ new Map(), this.freeGlobalRef_ = [], this.polygonBatch = {
      entries: {},
      geometriesCount: 0,
      verticesCount: 0,
      ringsCount: 0
    }, this.pointBatch = {
      entries: {},
      geometriesCount: 0
    }, this.lineStringBatch = {
      entries: {},
      geometriesCount: 0,
      verticesCount: 0
    };
  }
  /**
   * @param {Array<Feature|RenderFeature>} features Array of features to add to the batch
   * @param {import("../../proj.js").TransformFunction} [projectionTransform] Projection transform.
   */
  addFeatures(t, e) {
    for (let n = 0; n < t.length; n++)
      this.addFeature(t[n], e);
  }
  /**
   * @param {Feature|RenderFeature} feature Feature to add to the batch
   * @param {import("../../proj.js").TransformFunction} [projectionTransform] Projection transform.
   */
  addFeature(t, e) {
    let n = t.getGeometry();
    n && (e && (n = n.clone(), n.applyTransform(e)), this.addGeometry_(n, t));
  }
  /**
   * @param {Feature|RenderFeature} feature Feature
   * @return {GeometryBatchItem|void} the cleared entry
   * @private
   */
  clearFeatureEntryInPointBatch_(t) {
    const e = z(t), n = this.pointBatch.entries[e];
    if (n)
      return this.pointBatch.geometriesCount -= n.flatCoordss.length, delete this.pointBatch.entries[e], n;
  }
  /**
   * @param {Feature|RenderFeature} feature Feature
   * @return {GeometryBatchItem|void} the cleared entry
   * @private
   */
  clearFeatureEntryInLineStringBatch_(t) {
    const e = z(t), n = this.lineStringBatch.entries[e];
    if (n)
      return this.lineStringBatch.verticesCount -= n.verticesCount, this.lineStringBatch.geometriesCount -= n.flatCoordss.length, delete this.lineStringBatch.entries[e], n;
  }
  /**
   * @param {Feature|RenderFeature} feature Feature
   * @return {GeometryBatchItem|void} the cleared entry
   * @private
   */
  clearFeatureEntryInPolygonBatch_(t) {
    const e = z(t), n = this.polygonBatch.entries[e];
    if (n)
      return this.polygonBatch.verticesCount -= n.verticesCount, this.polygonBatch.ringsCount -= n.ringsCount, this.polygonBatch.geometriesCount -= n.flatCoordss.length, delete this.polygonBatch.entries[e], n;
  }
  /**
   * @param {import("../../geom.js").Geometry|RenderFeature} geometry Geometry
   * @param {Feature|RenderFeature} feature Feature
   * @private
   */
  addGeometry_(t, e) {
    const n = t.getType();
    switch (n) {
      case "GeometryCollection": {
        const r = (
          /** @type {import("../../geom.js").GeometryCollection} */
          t.getGeometriesArray()
        );
        for (const s of r)
          this.addGeometry_(s, e);
        break;
      }
      case "MultiPolygon": {
        const r = (
          /** @type {import("../../geom.js").MultiPolygon} */
          t
        );
        this.addCoordinates_(
          n,
          r.getFlatCoordinates(),
          r.getEndss(),
          e,
          z(e),
          r.getStride()
        );
        break;
      }
      case "MultiLineString": {
        const r = (
          /** @type {import("../../geom.js").MultiLineString|RenderFeature} */
          t
        );
        this.addCoordinates_(
          n,
          r.getFlatCoordinates(),
          r.getEnds(),
          e,
          z(e),
          r.getStride()
        );
        break;
      }
      case "MultiPoint": {
        const r = (
          /** @type {import("../../geom.js").MultiPoint|RenderFeature} */
          t
        );
        this.addCoordinates_(
          n,
          r.getFlatCoordinates(),
          null,
          e,
          z(e),
          r.getStride()
        );
        break;
      }
      case "Polygon": {
        const r = (
          /** @type {import("../../geom.js").Polygon|RenderFeature} */
          t
        );
        this.addCoordinates_(
          n,
          r.getFlatCoordinates(),
          r.getEnds(),
          e,
          z(e),
          r.getStride()
        );
        break;
      }
      case "Point": {
        const r = (
          /** @type {import("../../geom.js").Point} */
          t
        );
        this.addCoordinates_(
          n,
          r.getFlatCoordinates(),
          null,
          e,
          z(e),
          r.getStride()
        );
        break;
      }
      case "LineString":
      case "LinearRing": {
        const r = (
          /** @type {import("../../geom.js").LineString} */
          t
        ), s = r.getStride();
        this.addCoordinates_(
          n,
          r.getFlatCoordinates(),
          null,
          e,
          z(e),
          s,
          r.getLayout?.()
        );
        break;
      }
    }
  }
  /**
   * @param {GeometryType} type Geometry type
   * @param {Array<number>} flatCoords Flat coordinates
   * @param {Array<number> | Array<Array<number>> | null} ends Coordinate ends
   * @param {Feature|RenderFeature} feature Feature
   * @param {string} featureUid Feature uid
   * @param {number} stride Stride
   * @param {import('../../geom/Geometry.js').GeometryLayout} [layout] Layout
   * @private
   */
  addCoordinates_(t, e, n, r, s, o, a) {
    let l;
    switch (t) {
      case "MultiPolygon": {
        const h = (
          /** @type {Array<Array<number>>} */
          n
        );
        for (let c = 0, u = h.length; c < u; c++) {
          let d = h[c];
          const g = c > 0 ? h[c - 1] : null, f = g ? g[g.length - 1] : 0, p = d[d.length - 1];
          d = f > 0 ? d.map((_) => _ - f) : d, this.addCoordinates_(
            "Polygon",
            e.slice(f, p),
            d,
            r,
            s,
            o,
            a
          );
        }
        break;
      }
      case "MultiLineString": {
        const h = (
          /** @type {Array<number>} */
          n
        );
        for (let c = 0, u = h.length; c < u; c++) {
          const d = c > 0 ? h[c - 1] : 0;
          this.addCoordinates_(
            "LineString",
            e.slice(d, h[c]),
            null,
            r,
            s,
            o,
            a
          );
        }
        break;
      }
      case "MultiPoint":
        for (let h = 0, c = e.length; h < c; h += o)
          this.addCoordinates_(
            "Point",
            e.slice(h, h + 2),
            null,
            r,
            s,
            null,
            null
          );
        break;
      case "Polygon": {
        const h = (
          /** @type {Array<number>} */
          n
        );
        if (r instanceof Qt) {
          const d = Lc(e, h);
          if (d.length > 1) {
            this.addCoordinates_(
              "MultiPolygon",
              e,
              d,
              r,
              s,
              o,
              a
            );
            return;
          }
        }
        this.polygonBatch.entries[s] || (this.polygonBatch.entries[s] = this.addRefToEntry_(
          s,
          {
            feature: r,
            flatCoordss: [],
            verticesCount: 0,
            ringsCount: 0,
            ringsVerticesCounts: []
          }
        )), l = e.length / o;
        const c = n.length, u = n.map(
          (d, g, f) => g > 0 ? (d - f[g - 1]) / o : d / o
        );
        this.polygonBatch.verticesCount += l, this.polygonBatch.ringsCount += c, this.polygonBatch.geometriesCount++, this.polygonBatch.entries[s].flatCoordss.push(
          f0(e, o)
        ), this.polygonBatch.entries[s].ringsVerticesCounts.push(
          u
        ), this.polygonBatch.entries[s].verticesCount += l, this.polygonBatch.entries[s].ringsCount += c;
        for (let d = 0, g = h.length; d < g; d++) {
          const f = d > 0 ? h[d - 1] : 0;
          this.addCoordinates_(
            "LinearRing",
            e.slice(f, h[d]),
            null,
            r,
            s,
            o,
            a
          );
        }
        break;
      }
      case "Point":
        this.pointBatch.entries[s] || (this.pointBatch.entries[s] = this.addRefToEntry_(
          s,
          {
            feature: r,
            flatCoordss: []
          }
        )), this.pointBatch.geometriesCount++, this.pointBatch.entries[s].flatCoordss.push(e);
        break;
      case "LineString":
      case "LinearRing":
        this.lineStringBatch.entries[s] || (this.lineStringBatch.entries[s] = this.addRefToEntry_(
          s,
          {
            feature: r,
            flatCoordss: [],
            verticesCount: 0
          }
        )), l = e.length / o, this.lineStringBatch.verticesCount += l, this.lineStringBatch.geometriesCount++, this.lineStringBatch.entries[s].flatCoordss.push(
          _0(e, o, a)
        ), this.lineStringBatch.entries[s].verticesCount += l;
        break;
    }
  }
  /**
   * @param {string} featureUid Feature uid
   * @param {GeometryBatchItem} entry The entry to add
   * @return {GeometryBatchItem} the added entry
   * @private
   */
  addRefToEntry_(t, e) {
    const n = this.uidToRef_.get(t), r = n || this.freeGlobalRef_.pop() || ++this.globalCounter_;
    return e.ref = r, n || (this.refToFeature_.set(r, e.feature), this.uidToRef_.set(t, r)), e;
  }
  /**
   * Return a ref to the pool of available refs.
   * @param {number} ref the ref to return
   * @param {string} featureUid the feature uid
   * @private
   */
  removeRef_(t, e) {
    if (!t)
      throw new Error("This feature has no ref: " + e);
    this.refToFeature_.delete(t), this.uidToRef_.delete(e), this.freeGlobalRef_.push(t);
  }
  /**
   * @param {Feature|RenderFeature} feature Feature
   * @param {import("../../proj.js").TransformFunction} [projectionTransform] Projection transform.
   */
  changeFeature(t, e) {
    if (!this.uidToRef_.get(z(t)))
      return;
    this.removeFeature(t);
    let n = t.getGeometry();
    n && (e && (n = n.clone(), n.applyTransform(e)), this.addGeometry_(n, t));
  }
  /**
   * @param {Feature|RenderFeature} feature Feature
   */
  removeFeature(t) {
    let e = this.clearFeatureEntryInPointBatch_(t);
    e = this.clearFeatureEntryInPolygonBatch_(t) || e, e = this.clearFeatureEntryInLineStringBatch_(t) || e, e && this.removeRef_(e.ref, z(e.feature));
  }
  clear() {
    this.polygonBatch.entries = {}, this.polygonBatch.geometriesCount = 0, this.polygonBatch.verticesCount = 0, this.polygonBatch.ringsCount = 0, this.lineStringBatch.entries = {}, this.lineStringBatch.geometriesCount = 0, this.lineStringBatch.verticesCount = 0, this.pointBatch.entries = {}, this.pointBatch.geometriesCount = 0, this.globalCounter_ = 0, this.freeGlobalRef_ = [], this.refToFeature_.clear(), this.uidToRef_.clear();
  }
  /**
   * Resolve the feature associated to a ref.
   * @param {number} ref Hit detected ref
   * @return {Feature|RenderFeature} feature
   */
  getFeatureFromRef(t) {
    return this.refToFeature_.get(t);
  }
  isEmpty() {
    return this.globalCounter_ === 0;
  }
  /**
   * Will return a new instance of this class that only contains the features
   * for which the provided callback returned true
   * @param {function((Feature|RenderFeature)): boolean} featureFilter Feature filter callback
   * @return {MixedGeometryBatch} Filtered geometry batch
   */
  filter(t) {
    const e = new bs();
    e.globalCounter_ = this.globalCounter_, e.uidToRef_ = this.uidToRef_, e.refToFeature_ = this.refToFeature_;
    let n = !0;
    for (const r of this.refToFeature_.values())
      t(r) && (e.addFeature(r), n = !1);
    return n ? new bs() : e;
  }
}
function f0(i, t) {
  return t === 2 ? i : i.filter((e, n) => n % t < 2);
}
function _0(i, t, e) {
  return t === 3 && e === "XYM" ? i : t === 4 ? i.filter((n, r) => r % t !== 2) : t === 3 ? i.map((n, r) => r % t !== 2 ? n : 0) : new Array(i.length * 1.5).fill(0).map((n, r) => r % 3 === 2 ? 0 : i[Math.round(r / 1.5)]);
}
const Ps = 34962, pl = 34963, p0 = 35044, Mo = 35048, m0 = 5121, y0 = 5123, x0 = 5125, Du = 5126, Uh = ["experimental-webgl", "webgl", "webkit-3d", "moz-webgl"];
function v0(i, t) {
  t = Object.assign(
    {
      preserveDrawingBuffer: !0,
      antialias: !nf
      // https://bugs.webkit.org/show_bug.cgi?id=237906
    },
    t
  );
  const e = Uh.length;
  for (let n = 0; n < e; ++n)
    try {
      const r = i.getContext(Uh[n], t);
      if (r)
        return (
          /** @type {!WebGLRenderingContext} */
          r
        );
    } catch {
    }
  return null;
}
const E0 = {
  STATIC_DRAW: p0
};
class Lo {
  /**
   * @param {number} type Buffer type, either ARRAY_BUFFER or ELEMENT_ARRAY_BUFFER.
   * @param {number} [usage] Intended usage, either `STATIC_DRAW`, `STREAM_DRAW` or `DYNAMIC_DRAW`.
   * Default is `STATIC_DRAW`.
   */
  constructor(t, e) {
    this.array_ = null, this.type_ = t, nt(
      t === Ps || t === pl,
      "A `WebGLArrayBuffer` must either be of type `ELEMENT_ARRAY_BUFFER` or `ARRAY_BUFFER`"
    ), this.usage_ = e !== void 0 ? e : E0.STATIC_DRAW;
  }
  /**
   * Populates the buffer with an array of the given size (all values will be zeroes).
   * @param {number} size Array size
   * @return {WebGLArrayBuffer} This
   */
  ofSize(t) {
    return this.array_ = new (as(this.type_))(t), this;
  }
  /**
   * Populates the buffer with an array of the given size.
   * @param {Array<number>} array Numerical array
   * @return {WebGLArrayBuffer} This
   */
  fromArray(t) {
    return this.array_ = as(this.type_).from(t), this;
  }
  /**
   * Populates the buffer with a raw binary array buffer.
   * @param {ArrayBuffer} buffer Raw binary buffer to populate the array with. Note that this buffer must have been
   * initialized for the same typed array class.
   * @return {WebGLArrayBuffer} This
   */
  fromArrayBuffer(t) {
    return this.array_ = new (as(this.type_))(t), this;
  }
  /**
   * @return {number} Buffer type.
   */
  getType() {
    return this.type_;
  }
  /**
   * Will return null if the buffer was not initialized
   * @return {Float32Array|Uint32Array|null} Array.
   */
  getArray() {
    return this.array_;
  }
  /**
   * @param {Float32Array|Uint32Array} array Array.
   */
  setArray(t) {
    const e = as(this.type_);
    if (!(t instanceof e))
      throw new Error(`Expected ${e}`);
    this.array_ = t;
  }
  /**
   * @return {number} Usage.
   */
  getUsage() {
    return this.usage_;
  }
  /**
   * Will return 0 if the buffer is not initialized
   * @return {number} Array size
   */
  getSize() {
    return this.array_ ? this.array_.length : 0;
  }
}
function as(i) {
  switch (i) {
    case Ps:
      return Float32Array;
    case pl:
      return Uint32Array;
    default:
      return Float32Array;
  }
}
function Ou() {
  return [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
}
function ga(i, t) {
  return i[0] = t[0], i[1] = t[1], i[4] = t[2], i[5] = t[3], i[12] = t[4], i[13] = t[5], i;
}
const ls = {
  LOST: "webglcontextlost",
  RESTORED: "webglcontextrestored"
}, S0 = `
  precision mediump float;

  attribute vec2 a_position;
  varying vec2 v_texCoord;
  varying vec2 v_screenCoord;

  uniform vec2 u_screenSize;

  void main() {
    v_texCoord = a_position * 0.5 + 0.5;
    v_screenCoord = v_texCoord * u_screenSize;
    gl_Position = vec4(a_position, 0.0, 1.0);
  }
`, C0 = `
  precision mediump float;

  uniform sampler2D u_image;
  uniform float u_opacity;

  varying vec2 v_texCoord;

  void main() {
    gl_FragColor = texture2D(u_image, v_texCoord) * u_opacity;
  }
`;
class zh {
  /**
   * @param {Options} options Options.
   */
  constructor(t) {
    this.gl_ = t.webGlContext;
    const e = this.gl_;
    this.scaleRatio_ = t.scaleRatio || 1, this.renderTargetTexture_ = e.createTexture(), this.renderTargetTextureSize_ = null, this.frameBuffer_ = e.createFramebuffer(), this.depthBuffer_ = e.createRenderbuffer();
    const n = e.createShader(e.VERTEX_SHADER);
    e.shaderSource(
      n,
      t.vertexShader || S0
    ), e.compileShader(n);
    const r = e.createShader(e.FRAGMENT_SHADER);
    e.shaderSource(
      r,
      t.fragmentShader || C0
    ), e.compileShader(r), this.renderTargetProgram_ = e.createProgram(), e.attachShader(this.renderTargetProgram_, n), e.attachShader(this.renderTargetProgram_, r), e.linkProgram(this.renderTargetProgram_), this.renderTargetVerticesBuffer_ = e.createBuffer();
    const s = [-1, -1, 1, -1, -1, 1, 1, -1, 1, 1, -1, 1];
    e.bindBuffer(e.ARRAY_BUFFER, this.renderTargetVerticesBuffer_), e.bufferData(
      e.ARRAY_BUFFER,
      new Float32Array(s),
      e.STATIC_DRAW
    ), this.renderTargetAttribLocation_ = e.getAttribLocation(
      this.renderTargetProgram_,
      "a_position"
    ), this.renderTargetUniformLocation_ = e.getUniformLocation(
      this.renderTargetProgram_,
      "u_screenSize"
    ), this.renderTargetOpacityLocation_ = e.getUniformLocation(
      this.renderTargetProgram_,
      "u_opacity"
    ), this.renderTargetTextureLocation_ = e.getUniformLocation(
      this.renderTargetProgram_,
      "u_image"
    ), this.uniforms_ = [], t.uniforms && Object.keys(t.uniforms).forEach((o) => {
      this.uniforms_.push({
        value: t.uniforms[o],
        location: e.getUniformLocation(this.renderTargetProgram_, o)
      });
    });
  }
  getRenderTargetTexture() {
    return this.renderTargetTexture_;
  }
  /**
   * Get the WebGL rendering context
   * @return {WebGLRenderingContext} The rendering context.
   */
  getGL() {
    return this.gl_;
  }
  /**
   * Initialize the render target texture of the post process, make sure it is at the
   * right size and bind it as a render target for the next draw calls.
   * The last step to be initialized will be the one where the primitives are rendered.
   * @param {import("../Map.js").FrameState} frameState current frame state
   */
  init(t) {
    const e = this.getGL(), n = [
      e.drawingBufferWidth * this.scaleRatio_,
      e.drawingBufferHeight * this.scaleRatio_
    ];
    if (e.bindFramebuffer(e.FRAMEBUFFER, this.getFrameBuffer()), e.bindRenderbuffer(e.RENDERBUFFER, this.getDepthBuffer()), e.viewport(0, 0, n[0], n[1]), !this.renderTargetTextureSize_ || this.renderTargetTextureSize_[0] !== n[0] || this.renderTargetTextureSize_[1] !== n[1]) {
      this.renderTargetTextureSize_ = n;
      const r = 0, s = e.RGBA, o = 0, a = e.RGBA, l = e.UNSIGNED_BYTE;
      e.bindTexture(e.TEXTURE_2D, this.renderTargetTexture_), e.texImage2D(
        e.TEXTURE_2D,
        r,
        s,
        n[0],
        n[1],
        o,
        a,
        l,
        null
      ), e.texParameteri(e.TEXTURE_2D, e.TEXTURE_MIN_FILTER, e.LINEAR), e.texParameteri(e.TEXTURE_2D, e.TEXTURE_WRAP_S, e.CLAMP_TO_EDGE), e.texParameteri(e.TEXTURE_2D, e.TEXTURE_WRAP_T, e.CLAMP_TO_EDGE), e.framebufferTexture2D(
        e.FRAMEBUFFER,
        e.COLOR_ATTACHMENT0,
        e.TEXTURE_2D,
        this.renderTargetTexture_,
        0
      ), e.renderbufferStorage(
        e.RENDERBUFFER,
        e.DEPTH_COMPONENT16,
        n[0],
        n[1]
      ), e.framebufferRenderbuffer(
        e.FRAMEBUFFER,
        e.DEPTH_ATTACHMENT,
        e.RENDERBUFFER,
        this.depthBuffer_
      );
    }
  }
  /**
   * Render to the next postprocessing pass (or to the canvas if final pass).
   * @param {import("../Map.js").FrameState} frameState current frame state
   * @param {WebGLPostProcessingPass} [nextPass] Next pass, optional
   * @param {function(WebGLRenderingContext, import("../Map.js").FrameState):void} [preCompose] Called before composing.
   * @param {function(WebGLRenderingContext, import("../Map.js").FrameState):void} [postCompose] Called before composing.
   */
  apply(t, e, n, r) {
    const s = this.getGL(), o = t.size;
    if (s.bindFramebuffer(
      s.FRAMEBUFFER,
      e ? e.getFrameBuffer() : null
    ), s.activeTexture(s.TEXTURE0), s.bindTexture(s.TEXTURE_2D, this.renderTargetTexture_), !e) {
      const l = z(s.canvas);
      if (!t.renderTargets[l]) {
        const h = s.getContextAttributes();
        h && h.preserveDrawingBuffer && (s.clearColor(0, 0, 0, 0), s.clearDepth(1), s.clear(s.COLOR_BUFFER_BIT | s.DEPTH_BUFFER_BIT)), t.renderTargets[l] = !0;
      }
    }
    s.disable(s.DEPTH_TEST), s.enable(s.BLEND), s.blendFunc(s.ONE, s.ONE_MINUS_SRC_ALPHA), s.viewport(0, 0, s.drawingBufferWidth, s.drawingBufferHeight), s.bindBuffer(s.ARRAY_BUFFER, this.renderTargetVerticesBuffer_), s.useProgram(this.renderTargetProgram_), s.enableVertexAttribArray(this.renderTargetAttribLocation_), s.vertexAttribPointer(
      this.renderTargetAttribLocation_,
      2,
      s.FLOAT,
      !1,
      0,
      0
    ), s.uniform2f(this.renderTargetUniformLocation_, o[0], o[1]), s.uniform1i(this.renderTargetTextureLocation_, 0);
    const a = t.layerStatesArray[t.layerIndex].opacity;
    s.uniform1f(this.renderTargetOpacityLocation_, a), this.applyUniforms(t), n && n(s, t), s.drawArrays(s.TRIANGLES, 0, 6), r && r(s, t);
  }
  /**
   * @return {WebGLFramebuffer} Frame buffer
   */
  getFrameBuffer() {
    return this.frameBuffer_;
  }
  /**
   * @return {WebGLRenderbuffer} Depth buffer
   */
  getDepthBuffer() {
    return this.depthBuffer_;
  }
  /**
   * Sets the custom uniforms based on what was given in the constructor.
   * @param {import("../Map.js").FrameState} frameState Frame state.
   * @private
   */
  applyUniforms(t) {
    const e = this.getGL();
    let n, r = 1;
    this.uniforms_.forEach(function(s) {
      if (n = typeof s.value == "function" ? s.value(t) : s.value, n instanceof HTMLCanvasElement || n instanceof ImageData)
        s.texture || (s.texture = e.createTexture()), e.activeTexture(e[`TEXTURE${r}`]), e.bindTexture(e.TEXTURE_2D, s.texture), e.texParameteri(e.TEXTURE_2D, e.TEXTURE_MIN_FILTER, e.LINEAR), e.texParameteri(e.TEXTURE_2D, e.TEXTURE_WRAP_S, e.CLAMP_TO_EDGE), e.texParameteri(e.TEXTURE_2D, e.TEXTURE_WRAP_T, e.CLAMP_TO_EDGE), n instanceof ImageData ? e.texImage2D(
          e.TEXTURE_2D,
          0,
          e.RGBA,
          e.RGBA,
          n.width,
          n.height,
          0,
          e.UNSIGNED_BYTE,
          new Uint8Array(n.data)
        ) : e.texImage2D(
          e.TEXTURE_2D,
          0,
          e.RGBA,
          e.RGBA,
          e.UNSIGNED_BYTE,
          n
        ), e.uniform1i(s.location, r++);
      else if (Array.isArray(n))
        switch (n.length) {
          case 2:
            e.uniform2f(s.location, n[0], n[1]);
            return;
          case 3:
            e.uniform3f(s.location, n[0], n[1], n[2]);
            return;
          case 4:
            e.uniform4f(
              s.location,
              n[0],
              n[1],
              n[2],
              n[3]
            );
            return;
          default:
            return;
        }
      else typeof n == "number" && e.uniform1f(s.location, n);
    });
  }
}
const Ze = {
  PROJECTION_MATRIX: "u_projectionMatrix",
  SCREEN_TO_WORLD_MATRIX: "u_screenToWorldMatrix",
  TIME: "u_time",
  ZOOM: "u_zoom",
  RESOLUTION: "u_resolution",
  ROTATION: "u_rotation",
  VIEWPORT_SIZE_PX: "u_viewportSizePx",
  PIXEL_RATIO: "u_pixelRatio",
  HIT_DETECTION: "u_hitDetection"
}, Ot = {
  UNSIGNED_BYTE: m0,
  UNSIGNED_SHORT: y0,
  UNSIGNED_INT: x0,
  FLOAT: Du
}, As = {};
function $h(i) {
  return "shared/" + i;
}
let jh = 0;
function T0() {
  const i = "unique/" + jh;
  return jh += 1, i;
}
function w0(i) {
  let t = As[i];
  if (!t) {
    const e = document.createElement("canvas");
    e.width = 1, e.height = 1, e.style.position = "absolute", e.style.left = "0", t = { users: 0, context: v0(e) }, As[i] = t;
  }
  return t.users += 1, t.context;
}
function R0(i) {
  const t = As[i];
  if (!t || (t.users -= 1, t.users > 0))
    return;
  const e = t.context, n = e.getExtension("WEBGL_lose_context");
  n && n.loseContext();
  const r = e.canvas;
  r.width = 1, r.height = 1, delete As[i];
}
class b0 extends Ir {
  /**
   * @param {Options} [options] Options.
   */
  constructor(t) {
    super(), t = t || {}, this.boundHandleWebGLContextLost_ = this.handleWebGLContextLost.bind(this), this.boundHandleWebGLContextRestored_ = this.handleWebGLContextRestored.bind(this), this.canvasCacheKey_ = t.canvasCacheKey ? $h(t.canvasCacheKey) : T0(), this.gl_ = w0(this.canvasCacheKey_), this.bufferCache_ = {}, this.extensionCache_ = {}, this.currentProgram_ = null, this.needsToBeRecreated_ = !1;
    const e = this.gl_.canvas;
    e.addEventListener(
      ls.LOST,
      this.boundHandleWebGLContextLost_
    ), e.addEventListener(
      ls.RESTORED,
      this.boundHandleWebGLContextRestored_
    ), this.offsetRotateMatrix_ = wt(), this.offsetScaleMatrix_ = wt(), this.tmpMat4_ = Ou(), this.uniformLocationsByProgram_ = {}, this.attribLocationsByProgram_ = {}, this.uniforms_ = [], t.uniforms && this.setUniforms(t.uniforms), this.postProcessPasses_ = t.postProcesses ? t.postProcesses.map(
      (n) => new zh({
        webGlContext: this.gl_,
        scaleRatio: n.scaleRatio,
        vertexShader: n.vertexShader,
        fragmentShader: n.fragmentShader,
        uniforms: n.uniforms
      })
    ) : [new zh({ webGlContext: this.gl_ })], this.shaderCompileErrors_ = null, this.startTime_ = Date.now(), this.maxAttributeCount_ = this.gl_.getParameter(
      this.gl_.MAX_VERTEX_ATTRIBS
    );
  }
  /**
   * @param {Object<string, UniformValue>} uniforms Uniform definitions.
   */
  setUniforms(t) {
    this.uniforms_ = [], this.addUniforms(t);
  }
  /**
   * @param {Object<string, UniformValue>} uniforms Uniform definitions.
   */
  addUniforms(t) {
    for (const e in t)
      this.uniforms_.push({
        name: e,
        value: t[e]
      });
  }
  /**
   * @param {string} canvasCacheKey The canvas cache key.
   * @return {boolean} The provided key matches the one this helper was constructed with.
   */
  canvasCacheKeyMatches(t) {
    return this.canvasCacheKey_ === $h(t);
  }
  /**
   * Get a WebGL extension.  If the extension is not supported, null is returned.
   * Extensions are cached after they are enabled for the first time.
   * @param {string} name The extension name.
   * @return {Object|null} The extension or null if not supported.
   */
  getExtension(t) {
    if (t in this.extensionCache_)
      return this.extensionCache_[t];
    const e = this.gl_.getExtension(t);
    return this.extensionCache_[t] = e, e;
  }
  /**
   * Will throw if the extension is not available
   * @return {ANGLE_instanced_arrays} Extension
   */
  getInstancedRenderingExtension_() {
    const t = this.getExtension("ANGLE_instanced_arrays");
    return nt(
      !!t,
      "WebGL extension 'ANGLE_instanced_arrays' is required for vector rendering"
    ), t;
  }
  /**
   * Just bind the buffer if it's in the cache. Otherwise create
   * the WebGL buffer, bind it, populate it, and add an entry to
   * the cache.
   * @param {import("./Buffer").default} buffer Buffer.
   */
  bindBuffer(t) {
    const e = this.gl_, n = z(t);
    let r = this.bufferCache_[n];
    if (!r) {
      const s = e.createBuffer();
      r = {
        buffer: t,
        webGlBuffer: s
      }, this.bufferCache_[n] = r;
    }
    e.bindBuffer(t.getType(), r.webGlBuffer);
  }
  /**
   * Update the data contained in the buffer array; this is required for the
   * new data to be rendered
   * @param {import("./Buffer").default} buffer Buffer.
   */
  flushBufferData(t) {
    const e = this.gl_;
    this.bindBuffer(t), e.bufferData(t.getType(), t.getArray(), t.getUsage());
  }
  /**
   * @param {import("./Buffer.js").default} buf Buffer.
   */
  deleteBuffer(t) {
    const e = z(t);
    delete this.bufferCache_[e];
  }
  /**
   * Clean up.
   * @override
   */
  disposeInternal() {
    const t = this.gl_.canvas;
    t.removeEventListener(
      ls.LOST,
      this.boundHandleWebGLContextLost_
    ), t.removeEventListener(
      ls.RESTORED,
      this.boundHandleWebGLContextRestored_
    ), R0(this.canvasCacheKey_), delete this.gl_;
  }
  /**
   * Clear the buffer & set the viewport to draw.
   * Post process passes will be initialized here, the first one being bound as a render target for
   * subsequent draw calls.
   * @param {import("../Map.js").FrameState} frameState current frame state
   * @param {boolean} [disableAlphaBlend] If true, no alpha blending will happen.
   * @param {boolean} [enableDepth] If true, enables depth testing.
   */
  prepareDraw(t, e, n) {
    const r = this.gl_, s = this.getCanvas(), o = t.size, a = t.pixelRatio;
    (s.width !== o[0] * a || s.height !== o[1] * a) && (s.width = o[0] * a, s.height = o[1] * a, s.style.width = o[0] + "px", s.style.height = o[1] + "px");
    for (let l = this.postProcessPasses_.length - 1; l >= 0; l--)
      this.postProcessPasses_[l].init(t);
    r.bindTexture(r.TEXTURE_2D, null), r.clearColor(0, 0, 0, 0), r.depthRange(0, 1), r.clearDepth(1), r.clear(r.COLOR_BUFFER_BIT | r.DEPTH_BUFFER_BIT), r.enable(r.BLEND), r.blendFunc(r.ONE, e ? r.ZERO : r.ONE_MINUS_SRC_ALPHA), n ? (r.enable(r.DEPTH_TEST), r.depthFunc(r.LEQUAL)) : r.disable(r.DEPTH_TEST);
  }
  /**
   * @param {WebGLFramebuffer|null} frameBuffer The frame buffer.
   * @param {WebGLTexture} [texture] The texture.
   */
  bindFrameBuffer(t, e) {
    const n = this.getGL();
    n.bindFramebuffer(n.FRAMEBUFFER, t), e && n.framebufferTexture2D(
      n.FRAMEBUFFER,
      n.COLOR_ATTACHMENT0,
      n.TEXTURE_2D,
      e,
      0
    );
  }
  /**
   * Bind the frame buffer from the initial render.
   */
  bindInitialFrameBuffer() {
    const t = this.getGL(), e = this.postProcessPasses_[0].getFrameBuffer();
    t.bindFramebuffer(t.FRAMEBUFFER, e);
    const n = this.postProcessPasses_[0].getRenderTargetTexture();
    t.framebufferTexture2D(
      t.FRAMEBUFFER,
      t.COLOR_ATTACHMENT0,
      t.TEXTURE_2D,
      n,
      0
    );
  }
  /**
   * Prepare a program to use a texture.
   * @param {WebGLTexture} texture The texture.
   * @param {number} slot The texture slot.
   * @param {string} uniformName The corresponding uniform name.
   */
  bindTexture(t, e, n) {
    const r = this.gl_;
    r.activeTexture(r.TEXTURE0 + e), r.bindTexture(r.TEXTURE_2D, t), r.uniform1i(this.getUniformLocation(n), e);
  }
  /**
   * Set up an attribute array buffer for use in the vertex shader.
   * @param {import("./Buffer").default} buffer The buffer.
   * @param {string} attributeName The attribute name.
   * @param {number} size The number of components per attribute vertex.
   */
  bindAttribute(t, e, n) {
    const r = this.getGL();
    this.bindBuffer(t);
    const s = this.getAttributeLocation(e);
    r.enableVertexAttribArray(s), r.vertexAttribPointer(s, n, r.FLOAT, !1, 0, 0);
  }
  /**
   * Clear the render target & bind it for future draw operations.
   * This is similar to `prepareDraw`, only post processes will not be applied.
   * Note: the whole viewport will be drawn to the render target, regardless of its size.
   * @param {import("../Map.js").FrameState} frameState current frame state
   * @param {import("./RenderTarget.js").default} renderTarget Render target to draw to
   * @param {boolean} [disableAlphaBlend] If true, no alpha blending will happen.
   * @param {boolean} [enableDepth] If true, enables depth testing.
   */
  prepareDrawToRenderTarget(t, e, n, r) {
    const s = this.gl_, o = e.getSize();
    s.bindFramebuffer(s.FRAMEBUFFER, e.getFramebuffer()), s.bindRenderbuffer(s.RENDERBUFFER, e.getDepthbuffer()), s.viewport(0, 0, o[0], o[1]), s.bindTexture(s.TEXTURE_2D, e.getTexture()), s.clearColor(0, 0, 0, 0), s.depthRange(0, 1), s.clearDepth(1), s.clear(s.COLOR_BUFFER_BIT | s.DEPTH_BUFFER_BIT), s.enable(s.BLEND), s.blendFunc(s.ONE, n ? s.ZERO : s.ONE_MINUS_SRC_ALPHA), r ? (s.enable(s.DEPTH_TEST), s.depthFunc(s.LEQUAL)) : s.disable(s.DEPTH_TEST);
  }
  /**
   * Execute a draw call based on the currently bound program, texture, buffers, attributes.
   * @param {number} start Start index.
   * @param {number} end End index.
   */
  drawElements(t, e) {
    const n = this.gl_;
    this.getExtension("OES_element_index_uint");
    const r = n.UNSIGNED_INT, s = 4, o = e - t, a = t * s;
    n.drawElements(n.TRIANGLES, o, r, a);
  }
  /**
   * Execute a draw call similar to `drawElements`, but using instanced rendering.
   * Will have no effect if `enableAttributesInstanced` was not called for this rendering pass.
   * @param {number} start Start index.
   * @param {number} end End index.
   * @param {number} instanceCount The number of instances to render
   */
  drawElementsInstanced(t, e, n) {
    const r = this.gl_;
    this.getExtension("OES_element_index_uint");
    const s = this.getInstancedRenderingExtension_(), o = r.UNSIGNED_INT, a = 4, l = e - t, h = t * a;
    s.drawElementsInstancedANGLE(
      r.TRIANGLES,
      l,
      o,
      h,
      n
    );
    for (let c = 0; c < this.maxAttributeCount_; c++)
      s.vertexAttribDivisorANGLE(c, 0);
  }
  /**
   * Apply the successive post process passes which will eventually render to the actual canvas.
   * @param {import("../Map.js").FrameState} frameState current frame state
   * @param {function(WebGLRenderingContext, import("../Map.js").FrameState):void} [preCompose] Called before composing.
   * @param {function(WebGLRenderingContext, import("../Map.js").FrameState):void} [postCompose] Called before composing.
   */
  finalizeDraw(t, e, n) {
    for (let r = 0, s = this.postProcessPasses_.length; r < s; r++)
      r === s - 1 ? this.postProcessPasses_[r].apply(
        t,
        null,
        e,
        n
      ) : this.postProcessPasses_[r].apply(
        t,
        this.postProcessPasses_[r + 1]
      );
  }
  /**
   * @return {HTMLCanvasElement} Canvas.
   */
  getCanvas() {
    return (
      /** @type {HTMLCanvasElement} */
      this.gl_.canvas
    );
  }
  /**
   * Get the WebGL rendering context
   * @return {WebGLRenderingContext} The rendering context.
   */
  getGL() {
    return this.gl_;
  }
  /**
   * Sets the default matrix uniforms for a given frame state. This is called internally in `prepareDraw`.
   * @param {import("../Map.js").FrameState} frameState Frame state.
   */
  applyFrameState(t) {
    const e = t.size, n = t.viewState.rotation, r = t.pixelRatio;
    this.setUniformFloatValue(
      Ze.TIME,
      (Date.now() - this.startTime_) * 1e-3
    ), this.setUniformFloatValue(Ze.ZOOM, t.viewState.zoom), this.setUniformFloatValue(
      Ze.RESOLUTION,
      t.viewState.resolution
    ), this.setUniformFloatValue(Ze.PIXEL_RATIO, r), this.setUniformFloatVec2(Ze.VIEWPORT_SIZE_PX, [
      e[0],
      e[1]
    ]), this.setUniformFloatValue(Ze.ROTATION, n);
  }
  /**
   * Sets the `u_hitDetection` uniform.
   * @param {boolean} enabled Whether to enable the hit detection code path
   */
  applyHitDetectionUniform(t) {
    const e = this.getUniformLocation(Ze.HIT_DETECTION);
    this.getGL().uniform1i(e, t ? 1 : 0), t && this.setUniformFloatValue(Ze.PIXEL_RATIO, 0.5);
  }
  /**
   * Sets the custom uniforms based on what was given in the constructor. This is called internally in `prepareDraw`.
   * @param {import("../Map.js").FrameState} frameState Frame state.
   */
  applyUniforms(t) {
    const e = this.gl_;
    let n, r = 0;
    this.uniforms_.forEach((s) => {
      if (n = typeof s.value == "function" ? s.value(t) : s.value, n instanceof HTMLCanvasElement || n instanceof HTMLImageElement || n instanceof ImageData || n instanceof WebGLTexture) {
        n instanceof WebGLTexture && !s.texture ? (s.prevValue = void 0, s.texture = n) : s.texture || (s.prevValue = void 0, s.texture = e.createTexture()), this.bindTexture(s.texture, r, s.name), e.texParameteri(e.TEXTURE_2D, e.TEXTURE_MIN_FILTER, e.LINEAR), e.texParameteri(e.TEXTURE_2D, e.TEXTURE_WRAP_S, e.CLAMP_TO_EDGE), e.texParameteri(e.TEXTURE_2D, e.TEXTURE_WRAP_T, e.CLAMP_TO_EDGE);
        const o = !(n instanceof HTMLImageElement) || /** @type {HTMLImageElement} */
        n.complete;
        !(n instanceof WebGLTexture) && o && s.prevValue !== n && (s.prevValue = n, e.texImage2D(
          e.TEXTURE_2D,
          0,
          e.RGBA,
          e.RGBA,
          e.UNSIGNED_BYTE,
          n
        )), r++;
      } else if (Array.isArray(n) && n.length === 6)
        this.setUniformMatrixValue(
          s.name,
          ga(this.tmpMat4_, n)
        );
      else if (Array.isArray(n) && n.length <= 4)
        switch (n.length) {
          case 2:
            e.uniform2f(
              this.getUniformLocation(s.name),
              n[0],
              n[1]
            );
            return;
          case 3:
            e.uniform3f(
              this.getUniformLocation(s.name),
              n[0],
              n[1],
              n[2]
            );
            return;
          case 4:
            e.uniform4f(
              this.getUniformLocation(s.name),
              n[0],
              n[1],
              n[2],
              n[3]
            );
            return;
          default:
            return;
        }
      else typeof n == "number" && e.uniform1f(this.getUniformLocation(s.name), n);
    });
  }
  /**
   * Set up a program for use. The program will be set as the current one. Then, the uniforms used
   * in the program will be set based on the current frame state and the helper configuration.
   * @param {WebGLProgram} program Program.
   * @param {import("../Map.js").FrameState} [frameState] Frame state.
   */
  useProgram(t, e) {
    this.disableAllAttributes_(), this.gl_.useProgram(t), this.currentProgram_ = t, e && (this.applyFrameState(e), this.applyUniforms(e));
  }
  /**
   * Will attempt to compile a vertex or fragment shader based on source
   * On error, the shader will be returned but
   * `gl.getShaderParameter(shader, gl.COMPILE_STATUS)` will return `true`
   * Use `gl.getShaderInfoLog(shader)` to have details
   * @param {string} source Shader source
   * @param {ShaderType} type VERTEX_SHADER or FRAGMENT_SHADER
   * @return {WebGLShader} Shader object
   */
  compileShader(t, e) {
    const n = this.gl_, r = n.createShader(e);
    return n.shaderSource(r, t), n.compileShader(r), r;
  }
  /**
   * Create a program for a vertex and fragment shader.  Throws if shader compilation fails.
   * @param {string} fragmentShaderSource Fragment shader source.
   * @param {string} vertexShaderSource Vertex shader source.
   * @return {WebGLProgram} Program
   */
  getProgram(t, e) {
    const n = this.gl_, r = this.compileShader(
      t,
      n.FRAGMENT_SHADER
    ), s = this.compileShader(
      e,
      n.VERTEX_SHADER
    ), o = n.createProgram();
    if (n.attachShader(o, r), n.attachShader(o, s), n.linkProgram(o), !n.getShaderParameter(r, n.COMPILE_STATUS)) {
      const a = `Fragment shader compilation failed: ${n.getShaderInfoLog(
        r
      )}`;
      throw new Error(a);
    }
    if (n.deleteShader(r), !n.getShaderParameter(s, n.COMPILE_STATUS)) {
      const a = `Vertex shader compilation failed: ${n.getShaderInfoLog(
        s
      )}`;
      throw new Error(a);
    }
    if (n.deleteShader(s), !n.getProgramParameter(o, n.LINK_STATUS)) {
      const a = `GL program linking failed: ${n.getProgramInfoLog(
        o
      )}`;
      throw new Error(a);
    }
    return o;
  }
  /**
   * Will get the location from the shader or the cache
   * @param {string} name Uniform name
   * @return {WebGLUniformLocation} uniformLocation
   */
  getUniformLocation(t) {
    const e = z(this.currentProgram_);
    return this.uniformLocationsByProgram_[e] === void 0 && (this.uniformLocationsByProgram_[e] = {}), this.uniformLocationsByProgram_[e][t] === void 0 && (this.uniformLocationsByProgram_[e][t] = this.gl_.getUniformLocation(this.currentProgram_, t)), this.uniformLocationsByProgram_[e][t];
  }
  /**
   * Will get the location from the shader or the cache
   * @param {string} name Attribute name
   * @return {number} attribLocation
   */
  getAttributeLocation(t) {
    const e = z(this.currentProgram_);
    return this.attribLocationsByProgram_[e] === void 0 && (this.attribLocationsByProgram_[e] = {}), this.attribLocationsByProgram_[e][t] === void 0 && (this.attribLocationsByProgram_[e][t] = this.gl_.getAttribLocation(this.currentProgram_, t)), this.attribLocationsByProgram_[e][t];
  }
  /**
   * Sets the given transform to apply the rotation/translation/scaling of the given frame state.
   * The resulting transform can be used to convert world space coordinates to view coordinates in the [-1, 1] range.
   * @param {import("../Map.js").FrameState} frameState Frame state.
   * @param {import("../transform").Transform} transform Transform to update.
   * @return {import("../transform").Transform} The updated transform object.
   */
  makeProjectionTransform(t, e) {
    const n = t.size, r = t.viewState.rotation, s = t.viewState.resolution, o = t.viewState.center;
    return we(
      e,
      0,
      0,
      2 / (s * n[0]),
      2 / (s * n[1]),
      -r,
      -o[0],
      -o[1]
    ), e;
  }
  /**
   * Give a value for a standard float uniform
   * @param {string} uniform Uniform name
   * @param {number} value Value
   */
  setUniformFloatValue(t, e) {
    this.gl_.uniform1f(this.getUniformLocation(t), e);
  }
  /**
   * Give a value for a vec2 uniform
   * @param {string} uniform Uniform name
   * @param {Array<number>} value Array of length 4.
   */
  setUniformFloatVec2(t, e) {
    this.gl_.uniform2fv(this.getUniformLocation(t), e);
  }
  /**
   * Give a value for a vec4 uniform
   * @param {string} uniform Uniform name
   * @param {Array<number>} value Array of length 4.
   */
  setUniformFloatVec4(t, e) {
    this.gl_.uniform4fv(this.getUniformLocation(t), e);
  }
  /**
   * Give a value for a standard matrix4 uniform
   * @param {string} uniform Uniform name
   * @param {Array<number>} value Matrix value
   */
  setUniformMatrixValue(t, e) {
    this.gl_.uniformMatrix4fv(this.getUniformLocation(t), !1, e);
  }
  /**
   * Disable all vertex attributes.
   * @private
   */
  disableAllAttributes_() {
    for (let t = 0; t < this.maxAttributeCount_; t++)
      this.gl_.disableVertexAttribArray(t);
  }
  /**
   * Will set the currently bound buffer to an attribute of the shader program. Used by `#enableAttributes`
   * internally.
   * @param {string} attribName Attribute name
   * @param {number} size Number of components per attributes
   * @param {number} type UNSIGNED_INT, UNSIGNED_BYTE, UNSIGNED_SHORT or FLOAT
   * @param {number} stride Stride in bytes (0 means attribs are packed)
   * @param {number} offset Offset in bytes
   * @param {boolean} instanced Whether the attribute is used for instanced rendering
   * @private
   */
  enableAttributeArray_(t, e, n, r, s, o) {
    const a = this.getAttributeLocation(t);
    a < 0 || (this.gl_.enableVertexAttribArray(a), this.gl_.vertexAttribPointer(a, e, n, !1, r, s), o && this.getInstancedRenderingExtension_().vertexAttribDivisorANGLE(
      a,
      1
    ));
  }
  /**
   * @private
   * @param {Array<AttributeDescription>} attributes Ordered list of attributes to read from the buffer
   * @param {boolean} instanced Whether the attributes are instanced.
   */
  enableAttributes_(t, e) {
    const n = P0(t);
    let r = 0;
    for (let s = 0; s < t.length; s++) {
      const o = t[s];
      o.name && this.enableAttributeArray_(
        o.name,
        o.size,
        o.type || Du,
        n,
        r,
        e
      ), r += o.size * ku(o.type);
    }
  }
  /**
   * Will enable the following attributes to be read from the currently bound buffer,
   * i.e. tell the GPU where to read the different attributes in the buffer. An error in the
   * size/type/order of attributes will most likely break the rendering and throw a WebGL exception.
   * @param {Array<AttributeDescription>} attributes Ordered list of attributes to read from the buffer
   */
  enableAttributes(t) {
    this.enableAttributes_(t, !1);
  }
  /**
   * Will enable these attributes as instanced, meaning that they will only be read
   * once per instance instead of per vertex.
   * @param {Array<AttributeDescription>} attributes Ordered list of attributes to read from the buffer
   */
  enableAttributesInstanced(t) {
    this.enableAttributes_(t, !0);
  }
  /**
   * WebGL context was lost
   * @param {WebGLContextEvent} event The context loss event.
   * @private
   */
  handleWebGLContextLost(t) {
    Li(this.bufferCache_), this.currentProgram_ = null, t.preventDefault();
  }
  /**
   * WebGL context was restored
   * @private
   */
  handleWebGLContextRestored() {
    this.needsToBeRecreated_ = !0;
  }
  /**
   * Returns whether this helper needs to be recreated, as the context was lost and then restored.
   * @return {boolean} Whether this helper needs to be recreated.
   */
  needsToBeRecreated() {
    return this.needsToBeRecreated_;
  }
  /**
   * Will create or reuse a given webgl texture and apply the given size. If no image data
   * specified, the texture will be empty, otherwise image data will be used and the `size`
   * parameter will be ignored.  If a Uint8Array is provided for data, a size must also be provided.
   * Note: wrap parameters are set to clamp to edge, min filter is set to linear.
   * @param {Array<number>} size Expected size of the texture
   * @param {ImageData|HTMLImageElement|HTMLCanvasElement|Uint8Array|null} data Image data/object to bind to the texture
   * @param {WebGLTexture} [texture] Existing texture to reuse
   * @param {boolean} [nearest] Use gl.NEAREST for min/mag filter.
   * @return {WebGLTexture} The generated texture
   */
  createTexture(t, e, n, r) {
    const s = this.gl_;
    n = n || s.createTexture();
    const o = r ? s.NEAREST : s.LINEAR;
    s.bindTexture(s.TEXTURE_2D, n), s.texParameteri(s.TEXTURE_2D, s.TEXTURE_MIN_FILTER, o), s.texParameteri(s.TEXTURE_2D, s.TEXTURE_MAG_FILTER, o), s.texParameteri(s.TEXTURE_2D, s.TEXTURE_WRAP_S, s.CLAMP_TO_EDGE), s.texParameteri(s.TEXTURE_2D, s.TEXTURE_WRAP_T, s.CLAMP_TO_EDGE);
    const a = 0, l = s.RGBA, h = 0, c = s.RGBA, u = s.UNSIGNED_BYTE;
    return e instanceof Uint8Array ? s.texImage2D(
      s.TEXTURE_2D,
      a,
      l,
      t[0],
      t[1],
      h,
      c,
      u,
      e
    ) : e ? s.texImage2D(s.TEXTURE_2D, a, l, c, u, e) : s.texImage2D(
      s.TEXTURE_2D,
      a,
      l,
      t[0],
      t[1],
      h,
      c,
      u,
      null
    ), n;
  }
}
function P0(i) {
  let t = 0;
  for (let e = 0; e < i.length; e++) {
    const n = i[e];
    t += n.size * ku(n.type);
  }
  return t;
}
function ku(i) {
  switch (i) {
    case Ot.UNSIGNED_BYTE:
      return Uint8Array.BYTES_PER_ELEMENT;
    case Ot.UNSIGNED_SHORT:
      return Uint16Array.BYTES_PER_ELEMENT;
    case Ot.UNSIGNED_INT:
      return Uint32Array.BYTES_PER_ELEMENT;
    case Ot.FLOAT:
    default:
      return Float32Array.BYTES_PER_ELEMENT;
  }
}
function A0() {
  const i = 'function t(t,n,x=2){const o=n&&n.length,i=o?n[0]*x:t.length;let f=e(t,0,i,x,!0);const l=[];if(!f||f.next===f.prev)return l;let c,y,h;if(o&&(f=function(t,n,r,x){const o=[];for(let r=0,i=n.length;r<i;r++){const f=e(t,n[r]*x,r<i-1?n[r+1]*x:t.length,x,!1);f===f.next&&(f.steiner=!0),o.push(a(f))}o.sort(u);for(let t=0;t<o.length;t++)r=s(o[t],r);return r}(t,n,f,x)),t.length>80*x){c=t[0],y=t[1];let e=c,n=y;for(let r=x;r<i;r+=x){const x=t[r],o=t[r+1];x<c&&(c=x),o<y&&(y=o),x>e&&(e=x),o>n&&(n=o)}h=Math.max(e-c,n-y),h=0!==h?32767/h:0}return r(f,l,x,c,y,h,0),l}function e(t,e,n,r,x){let o;if(x===function(t,e,n,r){let x=0;for(let o=e,i=n-r;o<n;o+=r)x+=(t[i]-t[o])*(t[o+1]+t[i+1]),i=o;return x}(t,e,n,r)>0)for(let x=e;x<n;x+=r)o=d(x/r|0,t[x],t[x+1],o);else for(let x=n-r;x>=e;x-=r)o=d(x/r|0,t[x],t[x+1],o);return o&&b(o,o.next)&&(w(o),o=o.next),o}function n(t,e){if(!t)return t;e||(e=t);let n,r=t;do{if(n=!1,r.steiner||!b(r,r.next)&&0!==v(r.prev,r,r.next))r=r.next;else{if(w(r),r=e=r.prev,r===r.next)break;n=!0}}while(n||r!==e);return e}function r(t,e,u,s,l,a,y){if(!t)return;!y&&a&&function(t,e,n,r){let x=t;do{0===x.z&&(x.z=c(x.x,x.y,e,n,r)),x.prevZ=x.prev,x.nextZ=x.next,x=x.next}while(x!==t);x.prevZ.nextZ=null,x.prevZ=null,function(t){let e,n=1;do{let r,x=t;t=null;let o=null;for(e=0;x;){e++;let i=x,f=0;for(let t=0;t<n&&(f++,i=i.nextZ,i);t++);let u=n;for(;f>0||u>0&&i;)0!==f&&(0===u||!i||x.z<=i.z)?(r=x,x=x.nextZ,f--):(r=i,i=i.nextZ,u--),o?o.nextZ=r:t=r,r.prevZ=o,o=r;x=i}o.nextZ=null,n*=2}while(e>1)}(x)}(t,s,l,a);let h=t;for(;t.prev!==t.next;){const c=t.prev,p=t.next;if(a?o(t,s,l,a):x(t))e.push(c.i,t.i,p.i),w(t),t=p.next,h=p.next;else if((t=p)===h){y?1===y?r(t=i(n(t),e),e,u,s,l,a,2):2===y&&f(t,e,u,s,l,a):r(n(t),e,u,s,l,a,1);break}}}function x(t){const e=t.prev,n=t,r=t.next;if(v(e,n,r)>=0)return!1;const x=e.x,o=n.x,i=r.x,f=e.y,u=n.y,s=r.y,l=Math.min(x,o,i),c=Math.min(f,u,s),a=Math.max(x,o,i),y=Math.max(f,u,s);let p=r.next;for(;p!==e;){if(p.x>=l&&p.x<=a&&p.y>=c&&p.y<=y&&h(x,f,o,u,i,s,p.x,p.y)&&v(p.prev,p,p.next)>=0)return!1;p=p.next}return!0}function o(t,e,n,r){const x=t.prev,o=t,i=t.next;if(v(x,o,i)>=0)return!1;const f=x.x,u=o.x,s=i.x,l=x.y,a=o.y,y=i.y,p=Math.min(f,u,s),b=Math.min(l,a,y),M=Math.max(f,u,s),m=Math.max(l,a,y),A=c(p,b,e,n,r),g=c(M,m,e,n,r);let Z=t.prevZ,d=t.nextZ;for(;Z&&Z.z>=A&&d&&d.z<=g;){if(Z.x>=p&&Z.x<=M&&Z.y>=b&&Z.y<=m&&Z!==x&&Z!==i&&h(f,l,u,a,s,y,Z.x,Z.y)&&v(Z.prev,Z,Z.next)>=0)return!1;if(Z=Z.prevZ,d.x>=p&&d.x<=M&&d.y>=b&&d.y<=m&&d!==x&&d!==i&&h(f,l,u,a,s,y,d.x,d.y)&&v(d.prev,d,d.next)>=0)return!1;d=d.nextZ}for(;Z&&Z.z>=A;){if(Z.x>=p&&Z.x<=M&&Z.y>=b&&Z.y<=m&&Z!==x&&Z!==i&&h(f,l,u,a,s,y,Z.x,Z.y)&&v(Z.prev,Z,Z.next)>=0)return!1;Z=Z.prevZ}for(;d&&d.z<=g;){if(d.x>=p&&d.x<=M&&d.y>=b&&d.y<=m&&d!==x&&d!==i&&h(f,l,u,a,s,y,d.x,d.y)&&v(d.prev,d,d.next)>=0)return!1;d=d.nextZ}return!0}function i(t,e){let r=t;do{const n=r.prev,x=r.next.next;!b(n,x)&&M(n,r,r.next,x)&&g(n,x)&&g(x,n)&&(e.push(n.i,r.i,x.i),w(r),w(r.next),r=t=x),r=r.next}while(r!==t);return n(r)}function f(t,e,x,o,i,f){let u=t;do{let t=u.next.next;for(;t!==u.prev;){if(u.i!==t.i&&p(u,t)){let s=Z(u,t);return u=n(u,u.next),s=n(s,s.next),r(u,e,x,o,i,f,0),void r(s,e,x,o,i,f,0)}t=t.next}u=u.next}while(u!==t)}function u(t,e){let n=t.x-e.x;if(0===n&&(n=t.y-e.y,0===n)){n=(t.next.y-t.y)/(t.next.x-t.x)-(e.next.y-e.y)/(e.next.x-e.x)}return n}function s(t,e){const r=function(t,e){let n=e;const r=t.x,x=t.y;let o,i=-1/0;if(b(t,n))return n;do{if(b(t,n.next))return n.next;if(x<=n.y&&x>=n.next.y&&n.next.y!==n.y){const t=n.x+(x-n.y)*(n.next.x-n.x)/(n.next.y-n.y);if(t<=r&&t>i&&(i=t,o=n.x<n.next.x?n:n.next,t===r))return o}n=n.next}while(n!==e);if(!o)return null;const f=o,u=o.x,s=o.y;let c=1/0;n=o;do{if(r>=n.x&&n.x>=u&&r!==n.x&&y(x<s?r:i,x,u,s,x<s?i:r,x,n.x,n.y)){const e=Math.abs(x-n.y)/(r-n.x);g(n,t)&&(e<c||e===c&&(n.x>o.x||n.x===o.x&&l(o,n)))&&(o=n,c=e)}n=n.next}while(n!==f);return o}(t,e);if(!r)return e;const x=Z(r,t);return n(x,x.next),n(r,r.next)}function l(t,e){return v(t.prev,t,e.prev)<0&&v(e.next,t,t.next)<0}function c(t,e,n,r,x){return(t=1431655765&((t=858993459&((t=252645135&((t=16711935&((t=(t-n)*x|0)|t<<8))|t<<4))|t<<2))|t<<1))|(e=1431655765&((e=858993459&((e=252645135&((e=16711935&((e=(e-r)*x|0)|e<<8))|e<<4))|e<<2))|e<<1))<<1}function a(t){let e=t,n=t;do{(e.x<n.x||e.x===n.x&&e.y<n.y)&&(n=e),e=e.next}while(e!==t);return n}function y(t,e,n,r,x,o,i,f){return(x-i)*(e-f)>=(t-i)*(o-f)&&(t-i)*(r-f)>=(n-i)*(e-f)&&(n-i)*(o-f)>=(x-i)*(r-f)}function h(t,e,n,r,x,o,i,f){return!(t===i&&e===f)&&y(t,e,n,r,x,o,i,f)}function p(t,e){return t.next.i!==e.i&&t.prev.i!==e.i&&!function(t,e){let n=t;do{if(n.i!==t.i&&n.next.i!==t.i&&n.i!==e.i&&n.next.i!==e.i&&M(n,n.next,t,e))return!0;n=n.next}while(n!==t);return!1}(t,e)&&(g(t,e)&&g(e,t)&&function(t,e){let n=t,r=!1;const x=(t.x+e.x)/2,o=(t.y+e.y)/2;do{n.y>o!=n.next.y>o&&n.next.y!==n.y&&x<(n.next.x-n.x)*(o-n.y)/(n.next.y-n.y)+n.x&&(r=!r),n=n.next}while(n!==t);return r}(t,e)&&(v(t.prev,t,e.prev)||v(t,e.prev,e))||b(t,e)&&v(t.prev,t,t.next)>0&&v(e.prev,e,e.next)>0)}function v(t,e,n){return(e.y-t.y)*(n.x-e.x)-(e.x-t.x)*(n.y-e.y)}function b(t,e){return t.x===e.x&&t.y===e.y}function M(t,e,n,r){const x=A(v(t,e,n)),o=A(v(t,e,r)),i=A(v(n,r,t)),f=A(v(n,r,e));return x!==o&&i!==f||(!(0!==x||!m(t,n,e))||(!(0!==o||!m(t,r,e))||(!(0!==i||!m(n,t,r))||!(0!==f||!m(n,e,r)))))}function m(t,e,n){return e.x<=Math.max(t.x,n.x)&&e.x>=Math.min(t.x,n.x)&&e.y<=Math.max(t.y,n.y)&&e.y>=Math.min(t.y,n.y)}function A(t){return t>0?1:t<0?-1:0}function g(t,e){return v(t.prev,t,t.next)<0?v(t,e,t.next)>=0&&v(t,t.prev,e)>=0:v(t,e,t.prev)<0||v(t,t.next,e)<0}function Z(t,e){const n=F(t.i,t.x,t.y),r=F(e.i,e.x,e.y),x=t.next,o=e.prev;return t.next=e,e.prev=t,n.next=x,x.prev=n,r.next=n,n.prev=r,o.next=r,r.prev=o,r}function d(t,e,n,r){const x=F(t,e,n);return r?(x.next=r.next,x.prev=r,r.next.prev=x,r.next=x):(x.prev=x,x.next=x),x}function w(t){t.next.prev=t.prev,t.prev.next=t.next,t.prevZ&&(t.prevZ.nextZ=t.nextZ),t.nextZ&&(t.nextZ.prevZ=t.prevZ)}function F(t,e,n){return{i:t,x:e,y:n,prev:null,next:null,z:0,prevZ:null,nextZ:null,steiner:!1}}function E(t,e){const n=e[0],r=e[1];return e[0]=t[0]*n+t[2]*r+t[4],e[1]=t[1]*n+t[3]*r+t[5],e}function I(t,e){const n=(r=e)[0]*r[3]-r[1]*r[2];var r;!function(t,e){if(!t)throw new Error(e)}(0!==n,"Transformation matrix cannot be inverted");const x=e[0],o=e[1],i=e[2],f=e[3],u=e[4],s=e[5];return t[0]=f/n,t[1]=-o/n,t[2]=-i/n,t[3]=x/n,t[4]=(i*s-f*u)/n,t[5]=-(x*s-o*u)/n,t}new Array(6);const z=[],B={vertexAttributesPosition:0,instanceAttributesPosition:0,indicesPosition:0};function P(t,e,n,r,x){const o=t[e++],i=t[e++],f=z;f.length=r;for(let n=0;n<f.length;n++)f[n]=t[e+n];let u=x?x.instanceAttributesPosition:0;return n[u++]=o,n[u++]=i,f.length&&(n.set(f,u),u+=f.length),B.instanceAttributesPosition=u,B}function N(t,e,n,r,x,o,i,f,u,s){const l=[t[e],t[e+1]],c=[t[n],t[n+1]],a=t[e+2],y=t[n+2],h=E(f,[...l]),p=E(f,[...c]);function v(t,e,n){const r=Math.sqrt((e[0]-t[0])*(e[0]-t[0])+(e[1]-t[1])*(e[1]-t[1])),x=[(e[0]-t[0])/r,(e[1]-t[1])/r],o=[-x[1],x[0]],i=Math.sqrt((n[0]-t[0])*(n[0]-t[0])+(n[1]-t[1])*(n[1]-t[1])),f=[(n[0]-t[0])/i,(n[1]-t[1])/i];let u=0===r||0===i?0:Math.acos((s=f[0]*x[0]+f[1]*x[1],l=-1,c=1,Math.min(Math.max(s,l),c)));var s,l,c;u=Math.max(u,1e-5);return f[0]*o[0]+f[1]*o[1]>0?u:2*Math.PI-u}let b=-1,M=-1,m=s;const A=null!==x;if(null!==r){b=v(h,p,E(f,[...[t[r],t[r+1]]])),Math.cos(b)<=.985&&(m+=Math.tan((b-Math.PI)/2))}if(A){M=v(p,h,E(f,[...[t[x],t[x+1]]])),Math.cos(M)<=.985&&(m+=Math.tan((Math.PI-M)/2))}const g=Math.pow(2,24),Z=u%g,d=Math.floor(u/g)*g;return o.push(l[0],l[1],a,c[0],c[1],y,b,M,Z,d,s),o.push(...i),{length:u+Math.sqrt((p[0]-h[0])*(p[0]-h[0])+(p[1]-h[1])*(p[1]-h[1])),angle:m}}function R(e,n,r,x,o){const i=2+o;let f=n;const u=e.slice(f,f+o);f+=o;const s=e[f++];let l=0;const c=new Array(s-1);for(let t=0;t<s;t++)l+=e[f++],t<s-1&&(c[t]=l);const a=e.slice(f,f+2*l),y=t(a,c,2);for(let t=0;t<y.length;t++)x.push(y[t]+r.length/i);for(let t=0;t<a.length;t+=2)r.push(a[t],a[t+1],...u);return f+2*l}const S="GENERATE_POLYGON_BUFFERS",T="GENERATE_POINT_BUFFERS",_="GENERATE_LINE_STRING_BUFFERS",O=self;O.onmessage=t=>{const e=t.data;switch(e.type){case T:{const t=2,n=2,r=e.customAttributesSize,x=n+r,o=new Float32Array(e.renderInstructions),i=o.length/x*(t+r),f=Uint32Array.from([0,1,3,1,2,3]),u=Float32Array.from([-1,-1,1,-1,1,1,-1,1]),s=new Float32Array(i);let l;for(let t=0;t<o.length;t+=x)l=P(o,t,s,r,l);const c=Object.assign({indicesBuffer:f.buffer,vertexAttributesBuffer:u.buffer,instanceAttributesBuffer:s.buffer,renderInstructions:o.buffer},e);O.postMessage(c,[u.buffer,s.buffer,f.buffer,o.buffer]);break}case _:{const t=[],n=e.customAttributesSize,r=3,x=new Float32Array(e.renderInstructions);let o=0;const i=[1,0,0,1,0,0];let f,u;for(I(i,e.renderInstructionsTransform);o<x.length;){u=Array.from(x.slice(o,o+n)),o+=n,f=x[o++];const e=o,s=o+(f-1)*r,l=x[e]===x[s]&&x[e+1]===x[s+1];let c=0,a=0;for(let n=0;n<f-1;n++){let y=null;n>0?y=o+(n-1)*r:l&&(y=s-r);let h=null;n<f-2?h=o+(n+2)*r:l&&(h=e+r);const p=N(x,o+n*r,o+(n+1)*r,y,h,t,u,i,c,a);c=p.length,a=p.angle}o+=f*r}const s=Uint32Array.from([0,1,3,1,2,3]),l=Float32Array.from([-1,-1,1,-1,1,1,-1,1]),c=Float32Array.from(t),a=Object.assign({indicesBuffer:s.buffer,vertexAttributesBuffer:l.buffer,instanceAttributesBuffer:c.buffer,renderInstructions:x.buffer},e);O.postMessage(a,[l.buffer,c.buffer,s.buffer,x.buffer]);break}case S:{const t=[],n=[],r=e.customAttributesSize,x=new Float32Array(e.renderInstructions);let o=0;for(;o<x.length;)o=R(x,o,t,n,r);const i=Uint32Array.from(n),f=Float32Array.from(t),u=Float32Array.from([]),s=Object.assign({indicesBuffer:i.buffer,vertexAttributesBuffer:f.buffer,instanceAttributesBuffer:u.buffer,renderInstructions:x.buffer},e);O.postMessage(s,[f.buffer,u.buffer,i.buffer,x.buffer]);break}}};';
  return new Worker(typeof Blob > "u" ? "data:application/javascript;base64," + Buffer.from(i, "binary").toString("base64") : URL.createObjectURL(new Blob([i], { type: "application/javascript" })));
}
const Do = {
  GENERATE_POLYGON_BUFFERS: "GENERATE_POLYGON_BUFFERS",
  GENERATE_POINT_BUFFERS: "GENERATE_POINT_BUFFERS",
  GENERATE_LINE_STRING_BUFFERS: "GENERATE_LINE_STRING_BUFFERS"
};
function F0(i, t) {
  t = t || [];
  const e = 256, n = e - 1, r = Math.floor(i / e / e / e) / n, s = Math.floor(i / e / e) % e / n, o = Math.floor(i / e) % e / n, a = i % e / n;
  return t[0] = r * 256 * 255 + s * 255, t[1] = o * 256 * 255 + a * 255, t;
}
function I0(i) {
  let t = 0;
  const e = 256, n = e - 1;
  return t += Math.round(i[0] * e * e * e * n), t += Math.round(i[1] * e * e * n), t += Math.round(i[2] * e * n), t += Math.round(i[3] * n), t;
}
function fa(i) {
  return i instanceof Image || i instanceof HTMLCanvasElement || i instanceof HTMLVideoElement || i instanceof ImageBitmap ? i : null;
}
const M0 = new Error("disposed"), L0 = [256, 256];
class Vh extends il {
  /**
   * @param {Options} options Tile options.
   */
  constructor(t) {
    const e = j.IDLE;
    super(t.tileCoord, e, {
      transition: t.transition,
      interpolate: t.interpolate
    }), this.loader_ = t.loader, this.data_ = null, this.error_ = null, this.size_ = t.size || null, this.controller_ = t.controller || null;
  }
  /**
   * Get the tile size.
   * @return {import('./size.js').Size} Tile size.
   */
  getSize() {
    if (this.size_)
      return this.size_;
    const t = fa(this.data_);
    return t ? [t.width, t.height] : L0;
  }
  /**
   * Get the data for the tile.
   * @return {Data} Tile data.
   * @api
   */
  getData() {
    return this.data_;
  }
  /**
   * Get any loading error.
   * @return {Error} Loading error.
   * @api
   */
  getError() {
    return this.error_;
  }
  /**
   * Load the tile data.
   * @api
   * @override
   */
  load() {
    if (this.state !== j.IDLE && this.state !== j.ERROR)
      return;
    this.state = j.LOADING, this.changed();
    const t = this;
    this.loader_().then(function(e) {
      t.data_ = e, t.state = j.LOADED, t.changed();
    }).catch(function(e) {
      t.error_ = e, t.state = j.ERROR, t.changed();
    });
  }
  /**
   * Clean up.
   * @override
   */
  disposeInternal() {
    this.controller_ && (this.controller_.abort(M0), this.controller_ = null), super.disposeInternal();
  }
}
let Oo;
const Si = [];
function Wh(i, t, e, n, r) {
  i.beginPath(), i.moveTo(0, 0), i.lineTo(t, e), i.lineTo(n, r), i.closePath(), i.save(), i.clip(), i.fillRect(0, 0, Math.max(t, n) + 1, Math.max(e, r)), i.restore();
}
function ko(i, t) {
  return Math.abs(i[t * 4] - 210) > 2 || Math.abs(i[t * 4 + 3] - 0.75 * 255) > 2;
}
function D0() {
  if (Oo === void 0) {
    const i = Rt(6, 6, Si);
    i.globalCompositeOperation = "lighter", i.fillStyle = "rgba(210, 0, 0, 0.75)", Wh(i, 4, 5, 4, 0), Wh(i, 4, 5, 0, 5);
    const t = i.getImageData(0, 0, 3, 3).data;
    Oo = ko(t, 0) || ko(t, 4) || ko(t, 8), $s(i), Si.push(i.canvas);
  }
  return Oo;
}
function Xh(i, t, e, n) {
  const r = Ns(e, t, i);
  let s = qo(
    t,
    n,
    e
  );
  const o = t.getMetersPerUnit();
  o !== void 0 && (s *= o);
  const a = i.getMetersPerUnit();
  a !== void 0 && (s /= a);
  const l = i.getExtent();
  if (!l || Ti(l, r)) {
    const h = qo(i, s, r) / s;
    isFinite(h) && h > 0 && (s /= h);
  }
  return s;
}
function O0(i, t, e, n) {
  const r = Ue(e);
  let s = Xh(
    i,
    t,
    r,
    n
  );
  return (!isFinite(s) || s <= 0) && lc(e, function(o) {
    return s = Xh(
      i,
      t,
      o,
      n
    ), isFinite(s) && s > 0;
  }), s;
}
function k0(i, t, e, n, r, s, o, a, l, h, c, u, d, g) {
  const f = Rt(
    Math.round(e * i),
    Math.round(e * t),
    Si
  );
  if (u || (f.imageSmoothingEnabled = !1), l.length === 0)
    return f.canvas;
  f.scale(e, e);
  function p(m) {
    return Math.round(m * e) / e;
  }
  f.globalCompositeOperation = "lighter";
  const _ = ce();
  l.forEach(function(m, C, T) {
    oc(_, m.extent);
  });
  let y;
  const x = e / n, E = (u ? 1 : 1 + Math.pow(2, -24)) / x;
  y = Rt(
    Math.round(at(_) * x),
    Math.round(Zt(_) * x),
    Si
  ), u || (y.imageSmoothingEnabled = !1), l.forEach(function(m, C, T) {
    if (m.image.width > 0 && m.image.height > 0) {
      if (m.clipExtent) {
        y.save();
        const P = (m.clipExtent[0] - _[0]) * x, R = -(m.clipExtent[3] - _[3]) * x, F = at(m.clipExtent) * x, O = Zt(m.clipExtent) * x;
        y.rect(
          u ? P : Math.round(P),
          u ? R : Math.round(R),
          u ? F : Math.round(P + F) - Math.round(P),
          u ? O : Math.round(R + O) - Math.round(R)
        ), y.clip();
      }
      const w = (m.extent[0] - _[0]) * x, b = -(m.extent[3] - _[3]) * x, L = at(m.extent) * x, A = Zt(m.extent) * x;
      y.drawImage(
        m.image,
        h,
        h,
        m.image.width - 2 * h,
        m.image.height - 2 * h,
        u ? w : Math.round(w),
        u ? b : Math.round(b),
        u ? L : Math.round(w + L) - Math.round(w),
        u ? A : Math.round(b + A) - Math.round(b)
      ), m.clipExtent && y.restore();
    }
  });
  const v = Wn(o);
  return a.getTriangles().forEach(function(m, C, T) {
    const w = m.source, b = m.target;
    let L = w[0][0], A = w[0][1], P = w[1][0], R = w[1][1], F = w[2][0], O = w[2][1];
    const B = p((b[0][0] - v[0]) / s), D = p(
      -(b[0][1] - v[1]) / s
    ), U = p((b[1][0] - v[0]) / s), V = p(
      -(b[1][1] - v[1]) / s
    ), q = p((b[2][0] - v[0]) / s), rt = p(
      -(b[2][1] - v[1]) / s
    ), I = L, Gt = A;
    L = 0, A = 0, P -= I, R -= Gt, F -= I, O -= Gt;
    const se = [
      [P, R, 0, 0, U - B],
      [F, O, 0, 0, q - B],
      [0, 0, P, R, V - D],
      [0, 0, F, O, rt - D]
    ], Et = xd(se);
    if (!Et)
      return;
    if (f.save(), f.beginPath(), D0() || !u) {
      f.moveTo(U, V);
      const Bt = 4, M = B - U, G = D - V;
      for (let et = 0; et < Bt; et++)
        f.lineTo(
          U + p((et + 1) * M / Bt),
          V + p(et * G / (Bt - 1))
        ), et != Bt - 1 && f.lineTo(
          U + p((et + 1) * M / Bt),
          V + p((et + 1) * G / (Bt - 1))
        );
      f.lineTo(q, rt);
    } else
      f.moveTo(U, V), f.lineTo(B, D), f.lineTo(q, rt);
    f.clip(), f.transform(
      Et[0],
      Et[2],
      Et[1],
      Et[3],
      B,
      D
    ), f.translate(
      _[0] - I,
      _[3] - Gt
    );
    let vt;
    if (y)
      vt = y.canvas, f.scale(E, -E);
    else {
      const Bt = l[0], M = Bt.extent;
      vt = Bt.image, f.scale(
        at(M) / vt.width,
        -Zt(M) / vt.height
      );
    }
    f.drawImage(vt, 0, 0), f.restore();
  }), y && ($s(y), Si.push(y.canvas)), c && (f.save(), f.globalCompositeOperation = "source-over", f.strokeStyle = "black", f.lineWidth = 1, a.getTriangles().forEach(function(m, C, T) {
    const w = m.target, b = (w[0][0] - v[0]) / s, L = -(w[0][1] - v[1]) / s, A = (w[1][0] - v[0]) / s, P = -(w[1][1] - v[1]) / s, R = (w[2][0] - v[0]) / s, F = -(w[2][1] - v[1]) / s;
    f.beginPath(), f.moveTo(A, P), f.lineTo(b, L), f.lineTo(R, F), f.closePath(), f.stroke();
  }), f.restore()), f.canvas;
}
const N0 = 10, Yh = 0.25;
class G0 {
  /**
   * @param {import("../proj/Projection.js").default} sourceProj Source projection.
   * @param {import("../proj/Projection.js").default} targetProj Target projection.
   * @param {import("../extent.js").Extent} targetExtent Target extent to triangulate.
   * @param {import("../extent.js").Extent} maxSourceExtent Maximal source extent that can be used.
   * @param {number} errorThreshold Acceptable error (in source units).
   * @param {?number} destinationResolution The (optional) resolution of the destination.
   * @param {import("../transform.js").Transform} [sourceMatrix] Source transform matrix.
   */
  constructor(t, e, n, r, s, o, a) {
    this.sourceProj_ = t, this.targetProj_ = e;
    let l = {};
    const h = a ? qd(
      (E) => mt(
        a,
        Ns(E, this.targetProj_, this.sourceProj_)
      )
    ) : cr(this.targetProj_, this.sourceProj_);
    this.transformInv_ = function(E) {
      const v = E[0] + "/" + E[1];
      return l[v] || (l[v] = h(E)), l[v];
    }, this.maxSourceExtent_ = r, this.errorThresholdSquared_ = s * s, this.triangles_ = [], this.wrapsXInSource_ = !1, this.canWrapXInSource_ = this.sourceProj_.canWrapX() && !!r && !!this.sourceProj_.getExtent() && at(r) >= at(this.sourceProj_.getExtent()), this.sourceWorldWidth_ = this.sourceProj_.getExtent() ? at(this.sourceProj_.getExtent()) : null, this.targetWorldWidth_ = this.targetProj_.getExtent() ? at(this.targetProj_.getExtent()) : null;
    const c = Wn(n), u = Ds(n), d = Ls(n), g = Ms(n), f = this.transformInv_(c), p = this.transformInv_(u), _ = this.transformInv_(d), y = this.transformInv_(g), x = N0 + (o ? Math.max(
      0,
      Math.ceil(
        Math.log2(
          Vo(n) / (o * o * 256 * 256)
        )
      )
    ) : 0);
    if (this.addQuad_(
      c,
      u,
      d,
      g,
      f,
      p,
      _,
      y,
      x
    ), this.wrapsXInSource_) {
      let E = 1 / 0;
      this.triangles_.forEach(function(v, m, C) {
        E = Math.min(
          E,
          v.source[0][0],
          v.source[1][0],
          v.source[2][0]
        );
      }), this.triangles_.forEach((v) => {
        if (Math.max(
          v.source[0][0],
          v.source[1][0],
          v.source[2][0]
        ) - E > this.sourceWorldWidth_ / 2) {
          const m = [
            [v.source[0][0], v.source[0][1]],
            [v.source[1][0], v.source[1][1]],
            [v.source[2][0], v.source[2][1]]
          ];
          m[0][0] - E > this.sourceWorldWidth_ / 2 && (m[0][0] -= this.sourceWorldWidth_), m[1][0] - E > this.sourceWorldWidth_ / 2 && (m[1][0] -= this.sourceWorldWidth_), m[2][0] - E > this.sourceWorldWidth_ / 2 && (m[2][0] -= this.sourceWorldWidth_);
          const C = Math.min(
            m[0][0],
            m[1][0],
            m[2][0]
          );
          Math.max(
            m[0][0],
            m[1][0],
            m[2][0]
          ) - C < this.sourceWorldWidth_ / 2 && (v.source = m);
        }
      });
    }
    l = {};
  }
  /**
   * Adds triangle to the triangulation.
   * @param {import("../coordinate.js").Coordinate} a The target a coordinate.
   * @param {import("../coordinate.js").Coordinate} b The target b coordinate.
   * @param {import("../coordinate.js").Coordinate} c The target c coordinate.
   * @param {import("../coordinate.js").Coordinate} aSrc The source a coordinate.
   * @param {import("../coordinate.js").Coordinate} bSrc The source b coordinate.
   * @param {import("../coordinate.js").Coordinate} cSrc The source c coordinate.
   * @private
   */
  addTriangle_(t, e, n, r, s, o) {
    this.triangles_.push({
      source: [r, s, o],
      target: [t, e, n]
    });
  }
  /**
   * Adds quad (points in clock-wise order) to the triangulation
   * (and reprojects the vertices) if valid.
   * Performs quad subdivision if needed to increase precision.
   *
   * @param {import("../coordinate.js").Coordinate} a The target a coordinate.
   * @param {import("../coordinate.js").Coordinate} b The target b coordinate.
   * @param {import("../coordinate.js").Coordinate} c The target c coordinate.
   * @param {import("../coordinate.js").Coordinate} d The target d coordinate.
   * @param {import("../coordinate.js").Coordinate} aSrc The source a coordinate.
   * @param {import("../coordinate.js").Coordinate} bSrc The source b coordinate.
   * @param {import("../coordinate.js").Coordinate} cSrc The source c coordinate.
   * @param {import("../coordinate.js").Coordinate} dSrc The source d coordinate.
   * @param {number} maxSubdivision Maximal allowed subdivision of the quad.
   * @private
   */
  addQuad_(t, e, n, r, s, o, a, l, h) {
    const c = qt([s, o, a, l]), u = this.sourceWorldWidth_ ? at(c) / this.sourceWorldWidth_ : null, d = (
      /** @type {number} */
      this.sourceWorldWidth_
    ), g = this.sourceProj_.canWrapX() && u > 0.5 && u < 1;
    let f = !1;
    if (h > 0) {
      if (this.targetProj_.isGlobal() && this.targetWorldWidth_) {
        const _ = qt([t, e, n, r]);
        f = at(_) / this.targetWorldWidth_ > Yh || f;
      }
      !g && this.sourceProj_.isGlobal() && u && (f = u > Yh || f);
    }
    if (!f && this.maxSourceExtent_ && isFinite(c[0]) && isFinite(c[1]) && isFinite(c[2]) && isFinite(c[3]) && !Yt(c, this.maxSourceExtent_))
      return;
    let p = 0;
    if (!f && (!isFinite(s[0]) || !isFinite(s[1]) || !isFinite(o[0]) || !isFinite(o[1]) || !isFinite(a[0]) || !isFinite(a[1]) || !isFinite(l[0]) || !isFinite(l[1]))) {
      if (h > 0)
        f = !0;
      else if (p = (!isFinite(s[0]) || !isFinite(s[1]) ? 8 : 0) + (!isFinite(o[0]) || !isFinite(o[1]) ? 4 : 0) + (!isFinite(a[0]) || !isFinite(a[1]) ? 2 : 0) + (!isFinite(l[0]) || !isFinite(l[1]) ? 1 : 0), p != 1 && p != 2 && p != 4 && p != 8)
        return;
    }
    if (h > 0) {
      if (!f) {
        const _ = [(t[0] + n[0]) / 2, (t[1] + n[1]) / 2], y = this.transformInv_(_);
        let x;
        g ? x = (Nn(s[0], d) + Nn(a[0], d)) / 2 - Nn(y[0], d) : x = (s[0] + a[0]) / 2 - y[0];
        const E = (s[1] + a[1]) / 2 - y[1];
        f = x * x + E * E > this.errorThresholdSquared_;
      }
      if (f) {
        if (Math.abs(t[0] - n[0]) <= Math.abs(t[1] - n[1])) {
          const _ = [(e[0] + n[0]) / 2, (e[1] + n[1]) / 2], y = this.transformInv_(_), x = [(r[0] + t[0]) / 2, (r[1] + t[1]) / 2], E = this.transformInv_(x);
          this.addQuad_(
            t,
            e,
            _,
            x,
            s,
            o,
            y,
            E,
            h - 1
          ), this.addQuad_(
            x,
            _,
            n,
            r,
            E,
            y,
            a,
            l,
            h - 1
          );
        } else {
          const _ = [(t[0] + e[0]) / 2, (t[1] + e[1]) / 2], y = this.transformInv_(_), x = [(n[0] + r[0]) / 2, (n[1] + r[1]) / 2], E = this.transformInv_(x);
          this.addQuad_(
            t,
            _,
            x,
            r,
            s,
            y,
            E,
            l,
            h - 1
          ), this.addQuad_(
            _,
            e,
            n,
            x,
            y,
            o,
            a,
            E,
            h - 1
          );
        }
        return;
      }
    }
    if (g) {
      if (!this.canWrapXInSource_)
        return;
      this.wrapsXInSource_ = !0;
    }
    (p & 11) == 0 && this.addTriangle_(t, n, r, s, a, l), (p & 14) == 0 && this.addTriangle_(t, n, e, s, a, o), p && ((p & 13) == 0 && this.addTriangle_(e, r, t, o, l, s), (p & 7) == 0 && this.addTriangle_(e, r, n, o, l, a));
  }
  /**
   * Calculates extent of the `source` coordinates from all the triangles.
   *
   * @return {import("../extent.js").Extent} Calculated extent.
   */
  calculateSourceExtent() {
    const t = ce();
    return this.triangles_.forEach(function(e, n, r) {
      const s = e.source;
      tr(t, s[0]), tr(t, s[1]), tr(t, s[2]);
    }), t;
  }
  /**
   * @return {Array<Triangle>} Array of the calculated triangles.
   */
  getTriangles() {
    return this.triangles_;
  }
}
const B0 = 0.5;
class Nu extends il {
  /**
   * @param {import("../proj/Projection.js").default} sourceProj Source projection.
   * @param {import("../tilegrid/TileGrid.js").default} sourceTileGrid Source tile grid.
   * @param {import("../proj/Projection.js").default} targetProj Target projection.
   * @param {import("../tilegrid/TileGrid.js").default} targetTileGrid Target tile grid.
   * @param {import("../tilecoord.js").TileCoord} tileCoord Coordinate of the tile.
   * @param {import("../tilecoord.js").TileCoord} wrappedTileCoord Coordinate of the tile wrapped in X.
   * @param {number} pixelRatio Pixel ratio.
   * @param {number} gutter Gutter of the source tiles.
   * @param {FunctionType} getTileFunction
   *     Function returning source tiles (z, x, y, pixelRatio).
   * @param {number} [errorThreshold] Acceptable reprojection error (in px).
   * @param {boolean} [renderEdges] Render reprojection edges.
   * @param {import("../Tile.js").Options} [options] Tile options.
   */
  constructor(t, e, n, r, s, o, a, l, h, c, u, d) {
    super(s, j.IDLE, d), this.renderEdges_ = u !== void 0 ? u : !1, this.pixelRatio_ = a, this.gutter_ = l, this.canvas_ = null, this.sourceTileGrid_ = e, this.targetTileGrid_ = r, this.wrappedTileCoord_ = o || s, this.sourceTiles_ = [], this.sourcesListenerKeys_ = null, this.sourceZ_ = 0, this.clipExtent_ = t.canWrapX() ? t.getExtent() : void 0;
    const g = r.getTileCoordExtent(
      this.wrappedTileCoord_
    ), f = this.targetTileGrid_.getExtent();
    let p = this.sourceTileGrid_.getExtent();
    const _ = f ? kn(g, f) : g;
    if (Vo(_) === 0) {
      this.state = j.EMPTY;
      return;
    }
    const y = t.getExtent();
    y && (p ? p = kn(p, y) : p = y);
    const x = r.getResolution(
      this.wrappedTileCoord_[0]
    ), E = O0(
      t,
      n,
      _,
      x
    );
    if (!isFinite(E) || E <= 0) {
      this.state = j.EMPTY;
      return;
    }
    const v = c !== void 0 ? c : B0;
    if (this.triangulation_ = new G0(
      t,
      n,
      _,
      p,
      E * v,
      x
    ), this.triangulation_.getTriangles().length === 0) {
      this.state = j.EMPTY;
      return;
    }
    this.sourceZ_ = e.getZForResolution(E);
    let m = this.triangulation_.calculateSourceExtent();
    if (p && (t.canWrapX() ? (m[1] = dt(
      m[1],
      p[1],
      p[3]
    ), m[3] = dt(
      m[3],
      p[1],
      p[3]
    )) : m = kn(m, p)), !Vo(m))
      this.state = j.EMPTY;
    else {
      let C = 0, T = 0;
      t.canWrapX() && (C = at(y), T = Math.floor(
        (m[0] - y[0]) / C
      )), uc(
        m.slice(),
        t,
        !0
      ).forEach((w) => {
        const b = e.getTileRangeForExtentAndZ(
          w,
          this.sourceZ_
        );
        for (let L = b.minX; L <= b.maxX; L++)
          for (let A = b.minY; A <= b.maxY; A++) {
            const P = h(this.sourceZ_, L, A, a);
            if (P) {
              const R = T * C;
              this.sourceTiles_.push({ tile: P, offset: R });
            }
          }
        ++T;
      }), this.sourceTiles_.length === 0 && (this.state = j.EMPTY);
    }
  }
  /**
   * Get the HTML Canvas element for this tile.
   * @return {HTMLCanvasElement|OffscreenCanvas} Canvas.
   */
  getImage() {
    return this.canvas_;
  }
  /**
   * @private
   */
  reproject_() {
    const t = [];
    if (this.sourceTiles_.forEach((e) => {
      const n = e.tile;
      if (n && n.getState() == j.LOADED) {
        const r = this.sourceTileGrid_.getTileCoordExtent(n.tileCoord);
        r[0] += e.offset, r[2] += e.offset;
        const s = this.clipExtent_?.slice();
        s && (s[0] += e.offset, s[2] += e.offset), t.push({
          extent: r,
          clipExtent: s,
          image: n.getImage()
        });
      }
    }), this.sourceTiles_.length = 0, t.length === 0)
      this.state = j.ERROR;
    else {
      const e = this.wrappedTileCoord_[0], n = this.targetTileGrid_.getTileSize(e), r = typeof n == "number" ? n : n[0], s = typeof n == "number" ? n : n[1], o = this.targetTileGrid_.getResolution(e), a = this.sourceTileGrid_.getResolution(
        this.sourceZ_
      ), l = this.targetTileGrid_.getTileCoordExtent(
        this.wrappedTileCoord_
      );
      this.canvas_ = k0(
        r,
        s,
        this.pixelRatio_,
        a,
        this.sourceTileGrid_.getExtent(),
        o,
        l,
        this.triangulation_,
        t,
        this.gutter_,
        this.renderEdges_,
        this.interpolate
      ), this.state = j.LOADED;
    }
    this.changed();
  }
  /**
   * Load not yet loaded URI.
   * @override
   */
  load() {
    if (this.state == j.IDLE) {
      this.state = j.LOADING, this.changed();
      let t = 0;
      this.sourcesListenerKeys_ = [], this.sourceTiles_.forEach(({ tile: e }) => {
        const n = e.getState();
        if (n == j.IDLE || n == j.LOADING) {
          t++;
          const r = tt(e, Y.CHANGE, (s) => {
            const o = e.getState();
            (o == j.LOADED || o == j.ERROR || o == j.EMPTY) && (ht(r), t--, t === 0 && (this.unlistenSources_(), this.reproject_()));
          });
          this.sourcesListenerKeys_.push(r);
        }
      }), t === 0 ? setTimeout(this.reproject_.bind(this), 0) : this.sourceTiles_.forEach(function({ tile: e }, n, r) {
        e.getState() == j.IDLE && e.load();
      });
    }
  }
  /**
   * @private
   */
  unlistenSources_() {
    this.sourcesListenerKeys_.forEach(ht), this.sourcesListenerKeys_ = null;
  }
  /**
   * Remove from the cache due to expiry
   * @override
   */
  release() {
    this.canvas_ && ($s(
      /** @type {CanvasRenderingContext2D|OffscreenCanvasRenderingContext2D} */
      this.canvas_.getContext("2d")
    ), Si.push(this.canvas_), this.canvas_ = null), super.release();
  }
}
class Zh {
  /**
   * @param {number} [highWaterMark] High water mark.
   */
  constructor(t) {
    this.highWaterMark = t !== void 0 ? t : 2048, this.count_ = 0, this.entries_ = {}, this.oldest_ = null, this.newest_ = null;
  }
  deleteOldest() {
    const t = this.pop();
    t instanceof Ir && t.dispose();
  }
  /**
   * @return {boolean} Can expire cache.
   */
  canExpireCache() {
    return this.highWaterMark > 0 && this.getCount() > this.highWaterMark;
  }
  /**
   * Expire the cache. When the cache entry is a {@link module:ol/Disposable~Disposable},
   * the entry will be disposed.
   * @param {!Object<string, boolean>} [keep] Keys to keep. To be implemented by subclasses.
   */
  expireCache(t) {
    for (; this.canExpireCache(); )
      this.deleteOldest();
  }
  /**
   * FIXME empty description for jsdoc
   */
  clear() {
    for (; this.oldest_; )
      this.deleteOldest();
  }
  /**
   * @param {string} key Key.
   * @return {boolean} Contains key.
   */
  containsKey(t) {
    return this.entries_.hasOwnProperty(t);
  }
  /**
   * @param {function(T, string, LRUCache<T>): ?} f The function
   *     to call for every entry from the oldest to the newer. This function takes
   *     3 arguments (the entry value, the entry key and the LRUCache object).
   *     The return value is ignored.
   */
  forEach(t) {
    let e = this.oldest_;
    for (; e; )
      t(e.value_, e.key_, this), e = e.newer;
  }
  /**
   * @param {string} key Key.
   * @param {*} [options] Options (reserved for subclasses).
   * @return {T} Value.
   */
  get(t, e) {
    const n = this.entries_[t];
    return nt(
      n !== void 0,
      "Tried to get a value for a key that does not exist in the cache"
    ), n === this.newest_ || (n === this.oldest_ ? (this.oldest_ = /** @type {Entry} */
    this.oldest_.newer, this.oldest_.older = null) : (n.newer.older = n.older, n.older.newer = n.newer), n.newer = null, n.older = this.newest_, this.newest_.newer = n, this.newest_ = n), n.value_;
  }
  /**
   * Remove an entry from the cache.
   * @param {string} key The entry key.
   * @return {T} The removed entry.
   */
  remove(t) {
    const e = this.entries_[t];
    return nt(
      e !== void 0,
      "Tried to get a value for a key that does not exist in the cache"
    ), e === this.newest_ ? (this.newest_ = /** @type {Entry} */
    e.older, this.newest_ && (this.newest_.newer = null)) : e === this.oldest_ ? (this.oldest_ = /** @type {Entry} */
    e.newer, this.oldest_ && (this.oldest_.older = null)) : (e.newer.older = e.older, e.older.newer = e.newer), delete this.entries_[t], --this.count_, e.value_;
  }
  /**
   * @return {number} Count.
   */
  getCount() {
    return this.count_;
  }
  /**
   * @return {Array<string>} Keys.
   */
  getKeys() {
    const t = new Array(this.count_);
    let e = 0, n;
    for (n = this.newest_; n; n = n.older)
      t[e++] = n.key_;
    return t;
  }
  /**
   * @return {Array<T>} Values.
   */
  getValues() {
    const t = new Array(this.count_);
    let e = 0, n;
    for (n = this.newest_; n; n = n.older)
      t[e++] = n.value_;
    return t;
  }
  /**
   * @return {T} Last value.
   */
  peekLast() {
    return this.oldest_.value_;
  }
  /**
   * @return {string} Last key.
   */
  peekLastKey() {
    return this.oldest_.key_;
  }
  /**
   * Get the key of the newest item in the cache.  Throws if the cache is empty.
   * @return {string} The newest key.
   */
  peekFirstKey() {
    return this.newest_.key_;
  }
  /**
   * Return an entry without updating least recently used time.
   * @param {string} key Key.
   * @return {T|undefined} Value.
   */
  peek(t) {
    return this.entries_[t]?.value_;
  }
  /**
   * @return {T} value Value.
   */
  pop() {
    const t = this.oldest_;
    return delete this.entries_[t.key_], t.newer && (t.newer.older = null), this.oldest_ = /** @type {Entry} */
    t.newer, this.oldest_ || (this.newest_ = null), --this.count_, t.value_;
  }
  /**
   * @param {string} key Key.
   * @param {T} value Value.
   */
  replace(t, e) {
    this.get(t), this.entries_[t].value_ = e;
  }
  /**
   * @param {string} key Key.
   * @param {T} value Value.
   */
  set(t, e) {
    nt(
      !(t in this.entries_),
      "Tried to set a value for a key that is used already"
    );
    const n = {
      key_: t,
      newer: null,
      older: this.newest_,
      value_: e
    };
    this.newest_ ? this.newest_.newer = n : this.oldest_ = n, this.newest_ = n, this.entries_[t] = n, ++this.count_;
  }
  /**
   * Set a maximum number of entries for the cache.
   * @param {number} size Cache size.
   * @api
   */
  setSize(t) {
    this.highWaterMark = t;
  }
}
function Fs(i, t, e, n) {
  return n !== void 0 ? (n[0] = i, n[1] = t, n[2] = e, n) : [i, t, e];
}
function U0(i, t, e) {
  return i + "/" + t + "/" + e;
}
function ds(i, t, e, n, r) {
  return `${z(i)},${t},${U0(e, n, r)}`;
}
function z0(i) {
  return $0(i[0], i[1], i[2]);
}
function $0(i, t, e) {
  return (t << i) + e;
}
function j0(i, t) {
  const e = i[0], n = i[1], r = i[2];
  if (t.getMinZoom() > e || e > t.getMaxZoom())
    return !1;
  const s = t.getFullTileRange(e);
  return s ? s.containsXY(n, r) : !0;
}
class ml extends eu {
  /**
   * @param {LayerType} layer Layer.
   * @param {Options} [options] Options.
   */
  constructor(t, e) {
    super(t), e = e || {}, this.inversePixelTransform_ = wt(), this.postProcesses_ = e.postProcesses, this.uniforms_ = e.uniforms, this.helper, this.onMapChanged_ = () => {
      this.clearCache(), this.removeHelper();
    }, t.addChangeListener(ot.MAP, this.onMapChanged_), this.dispatchPreComposeEvent = this.dispatchPreComposeEvent.bind(this), this.dispatchPostComposeEvent = this.dispatchPostComposeEvent.bind(this);
  }
  /**
   * @param {WebGLRenderingContext} context The WebGL rendering context.
   * @param {import("../../Map.js").FrameState} frameState Frame state.
   * @protected
   */
  dispatchPreComposeEvent(t, e) {
    const n = this.getLayer();
    if (n.hasListener(Mt.PRECOMPOSE)) {
      const r = new ir(
        Mt.PRECOMPOSE,
        void 0,
        e,
        t
      );
      n.dispatchEvent(r);
    }
  }
  /**
   * @param {WebGLRenderingContext} context The WebGL rendering context.
   * @param {import("../../Map.js").FrameState} frameState Frame state.
   * @protected
   */
  dispatchPostComposeEvent(t, e) {
    const n = this.getLayer();
    if (n.hasListener(Mt.POSTCOMPOSE)) {
      const r = new ir(
        Mt.POSTCOMPOSE,
        void 0,
        e,
        t
      );
      n.dispatchEvent(r);
    }
  }
  /**
   * Reset options (only handles uniforms).
   * @param {Options} options Options.
   */
  reset(t) {
    this.uniforms_ = t.uniforms, this.helper && this.helper.setUniforms(this.uniforms_);
  }
  /**
   * @protected
   */
  removeHelper() {
    this.helper && (this.helper.dispose(), delete this.helper);
  }
  /**
   * Determine whether renderFrame should be called.
   * @param {import("../../Map.js").FrameState} frameState Frame state.
   * @return {boolean} Layer is ready to be rendered.
   * @override
   */
  prepareFrame(t) {
    if (this.getLayer().getRenderSource()) {
      let e = !0, n = -1, r;
      for (let o = 0, a = t.layerStatesArray.length; o < a; o++) {
        const l = t.layerStatesArray[o].layer, h = l.getRenderer();
        if (!(h instanceof ml)) {
          e = !0;
          continue;
        }
        const c = l.getClassName();
        if ((e || c !== r) && (n += 1, e = !1), r = c, h === this)
          break;
      }
      const s = "map/" + t.mapId + "/group/" + n;
      (!this.helper || !this.helper.canvasCacheKeyMatches(s) || this.helper.needsToBeRecreated()) && (this.removeHelper(), this.helper = new b0({
        postProcesses: this.postProcesses_,
        uniforms: this.uniforms_,
        canvasCacheKey: s
      }), r && (this.helper.getCanvas().className = r), this.afterHelperCreated());
    }
    return this.prepareFrameInternal(t);
  }
  /**
   * @protected
   */
  afterHelperCreated() {
  }
  /**
   * Determine whether renderFrame should be called.
   * @param {import("../../Map.js").FrameState} frameState Frame state.
   * @return {boolean} Layer is ready to be rendered.
   * @protected
   */
  prepareFrameInternal(t) {
    return !0;
  }
  /**
   * @protected
   */
  clearCache() {
  }
  /**
   * Clean up.
   * @override
   */
  disposeInternal() {
    this.clearCache(), this.removeHelper(), this.getLayer()?.removeChangeListener(
      ot.MAP,
      this.onMapChanged_
    ), super.disposeInternal();
  }
  /**
   * @param {import("../../render/EventType.js").default} type Event type.
   * @param {WebGLRenderingContext} context The rendering context.
   * @param {import("../../Map.js").FrameState} frameState Frame state.
   * @private
   */
  dispatchRenderEvent_(t, e, n) {
    const r = this.getLayer();
    if (r.hasListener(t)) {
      we(
        this.inversePixelTransform_,
        0,
        0,
        n.pixelRatio,
        -n.pixelRatio,
        0,
        0,
        -n.size[1]
      );
      const s = new ir(
        t,
        this.inversePixelTransform_,
        n,
        e
      );
      r.dispatchEvent(s);
    }
  }
  /**
   * @param {WebGLRenderingContext} context The rendering context.
   * @param {import("../../Map.js").FrameState} frameState Frame state.
   * @protected
   */
  preRender(t, e) {
    this.dispatchRenderEvent_(Mt.PRERENDER, t, e);
  }
  /**
   * @param {WebGLRenderingContext} context The rendering context.
   * @param {import("../../Map.js").FrameState} frameState Frame state.
   * @protected
   */
  postRender(t, e) {
    this.dispatchRenderEvent_(Mt.POSTRENDER, t, e);
  }
}
const No = {
  TILE_TEXTURE_ARRAY: "u_tileTextures",
  TEXTURE_PIXEL_WIDTH: "u_texturePixelWidth",
  TEXTURE_PIXEL_HEIGHT: "u_texturePixelHeight"
};
class V0 {
  /**
   * @param {string} name The name of the texture.
   * @param {Uint8Array} data The texture data.
   */
  constructor(t, e) {
    this.name = t, this.data = e, this.texture_ = null;
  }
  /**
   * @param {WebGLRenderingContext} gl Rendering context.
   * @return {WebGLTexture} The texture.
   */
  getTexture(t) {
    if (!this.texture_) {
      const e = t.createTexture();
      t.bindTexture(t.TEXTURE_2D, e), t.texParameteri(t.TEXTURE_2D, t.TEXTURE_WRAP_S, t.CLAMP_TO_EDGE), t.texParameteri(t.TEXTURE_2D, t.TEXTURE_WRAP_T, t.CLAMP_TO_EDGE), t.texParameteri(t.TEXTURE_2D, t.TEXTURE_MIN_FILTER, t.NEAREST), t.texParameteri(t.TEXTURE_2D, t.TEXTURE_MAG_FILTER, t.NEAREST), t.texImage2D(
        t.TEXTURE_2D,
        0,
        t.RGBA,
        this.data.length / 4,
        1,
        0,
        t.RGBA,
        t.UNSIGNED_BYTE,
        this.data
      ), this.texture_ = e;
    }
    return this.texture_;
  }
  /**
   * @param {WebGLRenderingContext} gl Rendering context.
   */
  delete(t) {
    this.texture_ && t.deleteTexture(this.texture_), this.texture_ = null;
  }
}
function W0(i, t) {
  return `operator_${i}_${Object.keys(t.functions).length}`;
}
function En(i) {
  const t = i.toString();
  return t.includes(".") ? t : t + ".0";
}
function yl(i) {
  if (i.length < 2 || i.length > 4)
    throw new Error(
      "`formatArray` can only output `vec2`, `vec3` or `vec4` arrays."
    );
  return `vec${i.length}(${i.map(En).join(", ")})`;
}
function gs(i) {
  const t = Re(i), e = t.length > 3 ? t[3] : 1;
  return yl([t[0] / 255, t[1] / 255, t[2] / 255, e]);
}
function X0(i) {
  const t = Kt(i);
  return yl(t);
}
const Go = {};
let Y0 = 0;
function Rr(i) {
  return i in Go || (Go[i] = Y0++), Go[i];
}
function He(i) {
  return En(Rr(i));
}
function xl(i) {
  return "u_var_" + i;
}
function Z0() {
  return {
    variables: {},
    properties: {},
    functions: {},
    bandCount: 0,
    featureId: !1,
    geometryType: !1
  };
}
const Bo = "getBandValue", K0 = "u_paletteTextures", Gu = "featureId", Bu = "geometryType", _a = -9999999;
function H0(i, t, e, n) {
  const r = Dt(i, t, e);
  return vl(r, t, n);
}
function it(i) {
  return (t, e, n) => {
    const r = e.args.length, s = new Array(r);
    for (let o = 0; o < r; ++o)
      s[o] = vl(e.args[o], n, t);
    return i(s, t);
  };
}
const q0 = {
  [S.Get]: (i, t) => {
    const e = (
      /** @type {string} */
      /** @type {LiteralExpression} */
      t.args[0].value
    );
    e in i.properties || (i.properties[e] = {
      name: e,
      type: t.type
    });
    let n = "a_prop_" + e;
    return Le(t.type, Ct) && (n = `(${n} > 0.0)`), n;
  },
  [S.Id]: (i) => (i.featureId = !0, "a_" + Gu),
  [S.GeometryType]: (i) => (i.geometryType = !0, "a_" + Bu),
  [S.LineMetric]: () => "currentLineMetric",
  // this variable is assumed to always be present in shaders, default is 0.
  [S.Var]: (i, t) => {
    const e = (
      /** @type {string} */
      /** @type {LiteralExpression} */
      t.args[0].value
    );
    e in i.variables || (i.variables[e] = {
      name: e,
      type: t.type
    });
    let n = xl(e);
    return Le(t.type, Ct) && (n = `(${n} > 0.0)`), n;
  },
  [S.Has]: (i, t) => {
    const e = (
      /** @type {string} */
      /** @type {LiteralExpression} */
      t.args[0].value
    );
    return e in i.properties || (i.properties[e] = {
      name: e,
      type: t.type
    }), `(a_prop_${e} != ${En(_a)})`;
  },
  [S.Resolution]: () => "u_resolution",
  [S.Zoom]: () => "u_zoom",
  [S.Time]: () => "u_time",
  [S.Any]: it((i) => `(${i.join(" || ")})`),
  [S.All]: it((i) => `(${i.join(" && ")})`),
  [S.Not]: it(([i]) => `(!${i})`),
  [S.Equal]: it(
    ([i, t]) => `(${i} == ${t})`
  ),
  [S.NotEqual]: it(
    ([i, t]) => `(${i} != ${t})`
  ),
  [S.GreaterThan]: it(
    ([i, t]) => `(${i} > ${t})`
  ),
  [S.GreaterThanOrEqualTo]: it(
    ([i, t]) => `(${i} >= ${t})`
  ),
  [S.LessThan]: it(
    ([i, t]) => `(${i} < ${t})`
  ),
  [S.LessThanOrEqualTo]: it(
    ([i, t]) => `(${i} <= ${t})`
  ),
  [S.Multiply]: it(
    (i) => `(${i.join(" * ")})`
  ),
  [S.Divide]: it(
    ([i, t]) => `(${i} / ${t})`
  ),
  [S.Add]: it((i) => `(${i.join(" + ")})`),
  [S.Subtract]: it(
    ([i, t]) => `(${i} - ${t})`
  ),
  [S.Clamp]: it(
    ([i, t, e]) => `clamp(${i}, ${t}, ${e})`
  ),
  [S.Mod]: it(([i, t]) => `mod(${i}, ${t})`),
  [S.Pow]: it(([i, t]) => `pow(${i}, ${t})`),
  [S.Abs]: it(([i]) => `abs(${i})`),
  [S.Floor]: it(([i]) => `floor(${i})`),
  [S.Ceil]: it(([i]) => `ceil(${i})`),
  [S.Round]: it(([i]) => `floor(${i} + 0.5)`),
  [S.Sin]: it(([i]) => `sin(${i})`),
  [S.Cos]: it(([i]) => `cos(${i})`),
  [S.Atan]: it(([i, t]) => t !== void 0 ? `atan(${i}, ${t})` : `atan(${i})`),
  [S.Sqrt]: it(([i]) => `sqrt(${i})`),
  [S.Match]: it((i) => {
    const t = i[0], e = i[i.length - 1];
    let n = null;
    for (let r = i.length - 3; r >= 1; r -= 2) {
      const s = i[r], o = i[r + 1];
      n = `(${t} == ${s} ? ${o} : ${n || e})`;
    }
    return n;
  }),
  [S.Between]: it(
    ([i, t, e]) => `(${i} >= ${t} && ${i} <= ${e})`
  ),
  [S.Interpolate]: it(([i, t, ...e]) => {
    let n = "";
    for (let r = 0; r < e.length - 2; r += 2) {
      const s = e[r], o = n || e[r + 1], a = e[r + 2], l = e[r + 3];
      let h;
      i === En(1) ? h = `(${t} - ${s}) / (${a} - ${s})` : h = `(pow(${i}, (${t} - ${s})) - 1.0) / (pow(${i}, (${a} - ${s})) - 1.0)`, n = `mix(${o}, ${l}, clamp(${h}, 0.0, 1.0))`;
    }
    return n;
  }),
  [S.Case]: it((i) => {
    const t = i[i.length - 1];
    let e = null;
    for (let n = i.length - 3; n >= 0; n -= 2) {
      const r = i[n], s = i[n + 1];
      e = `(${r} ? ${s} : ${e || t})`;
    }
    return e;
  }),
  [S.In]: it(([i, ...t], e) => {
    const n = W0("in", e), r = [];
    for (let s = 0; s < t.length; s += 1)
      r.push(`  if (inputValue == ${t[s]}) { return true; }`);
    return e.functions[n] = `bool ${n}(float inputValue) {
${r.join(`
`)}
  return false;
}`, `${n}(${i})`;
  }),
  [S.Array]: it(
    (i) => `vec${i.length}(${i.join(", ")})`
  ),
  [S.Color]: it((i) => {
    if (i.length === 1)
      return `vec4(vec3(${i[0]} / 255.0), 1.0)`;
    if (i.length === 2)
      return `vec4(vec3(${i[0]} / 255.0), ${i[1]})`;
    const t = i.slice(0, 3).map((n) => `${n} / 255.0`);
    if (i.length === 3)
      return `vec4(${t.join(", ")}, 1.0)`;
    const e = i[3];
    return `vec4(${t.join(", ")}, ${e})`;
  }),
  [S.Band]: it(([i, t, e], n) => {
    if (!(Bo in n.functions)) {
      let r = "";
      const s = n.bandCount || 1;
      for (let o = 0; o < s; o++) {
        const a = Math.floor(o / 4);
        let l = o % 4;
        o === s - 1 && l === 1 && (l = 3);
        const h = `${No.TILE_TEXTURE_ARRAY}[${a}]`;
        r += `  if (band == ${o + 1}.0) {
    return texture2D(${h}, v_textureCoord + vec2(dx, dy))[${l}];
  }
`;
      }
      n.functions[Bo] = `float getBandValue(float band, float xOffset, float yOffset) {
  float dx = xOffset / ${No.TEXTURE_PIXEL_WIDTH};
  float dy = yOffset / ${No.TEXTURE_PIXEL_HEIGHT};
${r}
}`;
    }
    return `${Bo}(${i}, ${t ?? "0.0"}, ${e ?? "0.0"})`;
  }),
  [S.Palette]: (i, t) => {
    const [e, ...n] = t.args, r = n.length, s = new Uint8Array(r * 4);
    for (let h = 0; h < n.length; h++) {
      const c = (
        /** @type {string | Array<number>} */
        /** @type {LiteralExpression} */
        n[h].value
      ), u = Re(c), d = h * 4;
      s[d] = u[0], s[d + 1] = u[1], s[d + 2] = u[2], s[d + 3] = u[3] * 255;
    }
    i.paletteTextures || (i.paletteTextures = []);
    const o = `${K0}[${i.paletteTextures.length}]`, a = new V0(o, s);
    i.paletteTextures.push(a);
    const l = vl(e, N, i);
    return `texture2D(${o}, vec2((${l} + 0.5) / ${r}.0, 0.5))`;
  }
  // TODO: unimplemented
  // Ops.Number
  // Ops.String
  // Ops.Coalesce
  // Ops.Concat
  // Ops.ToString
};
function vl(i, t, e) {
  if (i instanceof iu) {
    const n = q0[i.operator];
    if (n === void 0)
      throw new Error(
        `No compiler defined for this operator: ${JSON.stringify(
          i.operator
        )}`
      );
    return n(e, i, t);
  }
  if ((i.type & N) > 0)
    return En(
      /** @type {number} */
      i.value
    );
  if ((i.type & Ct) > 0)
    return i.value.toString();
  if ((i.type & Tt) > 0)
    return He(i.value.toString());
  if ((i.type & ut) > 0)
    return gs(
      /** @type {Array<number> | string} */
      i.value
    );
  if ((i.type & re) > 0)
    return yl(
      /** @type {Array<number>} */
      i.value
    );
  if ((i.type & ye) > 0)
    return X0(
      /** @type {number|import('../size.js').Size} */
      i.value
    );
  throw new Error(
    `Unexpected expression ${i.value} (expected type ${mi(
      t
    )})`
  );
}
function El(i, t, e, n) {
  let r = 0;
  for (const s in t) {
    const o = t[s], a = o.callback.call(e, e.feature);
    let l = a?.[0] ?? a;
    l === _a && console.warn('The "has" operator might return false positives.'), l === void 0 ? l = _a : l === null && (l = 0), i[n + r++] = l, !(!o.size || o.size === 1) && (i[n + r++] = a[1], !(o.size < 3) && (i[n + r++] = a[2], !(o.size < 4) && (i[n + r++] = a[3])));
  }
  return r;
}
function Js(i) {
  return Object.keys(i).reduce(
    (t, e) => t + (i[e].size || 1),
    0
  );
}
function J0(i, t, e, n) {
  const r = (2 + Js(e)) * i.geometriesCount;
  (!t || t.length !== r) && (t = new Float32Array(r));
  const s = [];
  let o = 0;
  for (const a in i.entries) {
    const l = i.entries[a];
    for (let h = 0, c = l.flatCoordss.length; h < c; h++)
      s[0] = l.flatCoordss[h][0], s[1] = l.flatCoordss[h][1], mt(n, s), t[o++] = s[0], t[o++] = s[1], o += El(
        t,
        e,
        l,
        o
      );
  }
  return t;
}
function Q0(i, t, e, n) {
  const r = 3 * i.verticesCount + (1 + Js(e)) * i.geometriesCount;
  (!t || t.length !== r) && (t = new Float32Array(r));
  const s = [];
  let o = 0;
  for (const a in i.entries) {
    const l = i.entries[a];
    for (let h = 0, c = l.flatCoordss.length; h < c; h++) {
      s.length = l.flatCoordss[h].length, Be(
        l.flatCoordss[h],
        0,
        s.length,
        3,
        n,
        s,
        3
      ), o += El(
        t,
        e,
        l,
        o
      ), t[o++] = s.length / 3;
      for (let u = 0, d = s.length; u < d; u += 3)
        t[o++] = s[u], t[o++] = s[u + 1], t[o++] = s[u + 2];
    }
  }
  return t;
}
function ty(i, t, e, n) {
  const r = 2 * i.verticesCount + (1 + Js(e)) * i.geometriesCount + i.ringsCount;
  (!t || t.length !== r) && (t = new Float32Array(r));
  const s = [];
  let o = 0;
  for (const a in i.entries) {
    const l = i.entries[a];
    for (let h = 0, c = l.flatCoordss.length; h < c; h++) {
      s.length = l.flatCoordss[h].length, Be(
        l.flatCoordss[h],
        0,
        s.length,
        2,
        n,
        s
      ), o += El(
        t,
        e,
        l,
        o
      ), t[o++] = l.ringsVerticesCounts[h].length;
      for (let u = 0, d = l.ringsVerticesCounts[h].length; u < d; u++)
        t[o++] = l.ringsVerticesCounts[h][u];
      for (let u = 0, d = s.length; u < d; u += 2)
        t[o++] = s[u], t[o++] = s[u + 1];
    }
  }
  return t;
}
function ey() {
  return {
    "fill-color": "rgba(255,255,255,0.4)",
    "stroke-color": "#3399CC",
    "stroke-width": 1.25,
    "circle-radius": 5,
    "circle-fill-color": "rgba(255,255,255,0.4)",
    "circle-stroke-width": 1.25,
    "circle-stroke-color": "#3399CC"
  };
}
const Kh = 0.985;
function Z(i, t, e) {
  const n = Za();
  return H0(
    t,
    e,
    n,
    i
  );
}
function ny(i) {
  const t = Re(i), e = t[0] * 256, n = t[1], r = t[2] * 256, s = Math.round(t[3] * 255);
  return [e + n, r + s];
}
const iy = `vec4 unpackColor(vec2 packedColor) {
  return vec4(
    min(floor(packedColor[0] / 256.0) / 255.0, 1.0),
    min(mod(packedColor[0], 256.0) / 255.0, 1.0),
    min(floor(packedColor[1] / 256.0) / 255.0, 1.0),
    min(mod(packedColor[1], 256.0) / 255.0, 1.0)
  );
}`;
function Sl(i) {
  return i === ut || i === ye ? 2 : i === re ? 4 : 1;
}
function pa(i) {
  const t = Sl(i);
  return t > 1 ? (
    /** @type {'vec2'|'vec3'|'vec4'} */
    `vec${t}`
  ) : "float";
}
function ry(i, t) {
  for (const e in t.variables) {
    const n = t.variables[e], r = xl(n.name);
    let s = pa(n.type);
    n.type === ut && (s = "vec4"), i.addUniform(r, s);
  }
  for (const e in t.properties) {
    const n = t.properties[e], r = pa(n.type), s = `a_prop_${n.name}`;
    n.type === ut ? i.addAttribute(
      s,
      r,
      `unpackColor(${s})`,
      "vec4"
    ) : i.addAttribute(s, r);
  }
  for (const e in t.functions)
    i.addVertexShaderFunction(t.functions[e]), i.addFragmentShaderFunction(t.functions[e]);
}
function sy(i, t) {
  const e = {};
  for (const n in i.variables) {
    const r = i.variables[n], s = xl(r.name);
    e[s] = () => {
      const o = t[r.name];
      if (typeof o == "number")
        return o;
      if (typeof o == "boolean")
        return o ? 1 : 0;
      if (r.type === ut) {
        const a = [...Re(o || "#eee")];
        return a[0] /= 255, a[1] /= 255, a[2] /= 255, a[3] ??= 1, a;
      }
      return typeof o == "string" ? Rr(o) : o;
    };
  }
  return e;
}
function oy(i) {
  const t = {};
  for (const e in i.properties) {
    const n = i.properties[e], r = (s) => {
      const o = s.get(n.name);
      return n.type === ut ? ny([...Re(o || "#eee")]) : typeof o == "string" ? Rr(o) : typeof o == "boolean" ? o ? 1 : 0 : o;
    };
    t[`prop_${n.name}`] = {
      size: Sl(n.type),
      callback: r
    };
  }
  return t;
}
const ai = `#ifdef GL_FRAGMENT_PRECISION_HIGH
precision highp float;
#else
precision mediump float;
#endif
uniform mat4 u_projectionMatrix;
uniform mat4 u_screenToWorldMatrix;
uniform vec2 u_viewportSizePx;
uniform float u_pixelRatio;
uniform float u_globalAlpha;
uniform float u_time;
uniform float u_zoom;
uniform float u_resolution;
uniform float u_rotation;
uniform vec4 u_renderExtent;
uniform vec2 u_patternOrigin;
uniform float u_depth;
uniform mediump int u_hitDetection;

const float PI = 3.141592653589793238;
const float TWO_PI = 2.0 * PI;
float currentLineMetric = 0.; // an actual value will be used in the stroke shaders

${iy}
`, li = ey();
class ay {
  constructor() {
    this.uniforms_ = [], this.attributes_ = [], this.hasSymbol_ = !1, this.symbolSizeExpression_ = `vec2(${En(
      li["circle-radius"]
    )} + ${En(li["circle-stroke-width"] * 0.5)})`, this.symbolRotationExpression_ = "0.0", this.symbolOffsetExpression_ = "vec2(0.0)", this.symbolColorExpression_ = gs(
      /** @type {string} */
      li["circle-fill-color"]
    ), this.texCoordExpression_ = "vec4(0.0, 0.0, 1.0, 1.0)", this.discardExpression_ = "false", this.symbolRotateWithView_ = !1, this.hasStroke_ = !1, this.strokeWidthExpression_ = En(li["stroke-width"]), this.strokeColorExpression_ = gs(
      /** @type {string} */
      li["stroke-color"]
    ), this.strokeOffsetExpression_ = "0.", this.strokeCapExpression_ = He("round"), this.strokeJoinExpression_ = He("round"), this.strokeMiterLimitExpression_ = "10.", this.strokeDistanceFieldExpression_ = "-1000.", this.strokePatternLengthExpression_ = null, this.hasFill_ = !1, this.fillColorExpression_ = gs(
      /** @type {string} */
      li["fill-color"]
    ), this.vertexShaderFunctions_ = [], this.fragmentShaderFunctions_ = [];
  }
  /**
   * Adds a uniform accessible in both fragment and vertex shaders.
   * The given name should include a type, such as `sampler2D u_texture`.
   * @param {string} name Uniform name, including the `u_` prefix
   * @param {'float'|'vec2'|'vec3'|'vec4'|'sampler2D'} type GLSL type
   * @return {ShaderBuilder} the builder object
   */
  addUniform(t, e) {
    return this.uniforms_.push({
      name: t,
      type: e
    }), this;
  }
  /**
   * Adds an attribute accessible in the vertex shader, read from the geometry buffer.
   * The given name should include a type, such as `vec2 a_position`.
   * Attributes will also be made available under the same name in fragment shaders.
   * @param {string} name Attribute name, including the `a_` prefix
   * @param {'float'|'vec2'|'vec3'|'vec4'} type GLSL type
   * @param {string} [varyingExpression] Expression which will be assigned to the varying in the vertex shader, and
   * passed on to the fragment shader.
   * @param {'float'|'vec2'|'vec3'|'vec4'} [varyingType] Type of the attribute after transformation;
   * e.g. `vec4` after unpacking color components
   * @return {ShaderBuilder} the builder object
   */
  addAttribute(t, e, n, r) {
    return this.attributes_.push({
      name: t,
      type: e,
      varyingName: t.replace(/^a_/, "v_"),
      varyingType: r ?? e,
      varyingExpression: n ?? t
    }), this;
  }
  /**
   * Sets an expression to compute the size of the shape.
   * This expression can use all the uniforms and attributes available
   * in the vertex shader, and should evaluate to a `vec2` value.
   * @param {string} expression Size expression
   * @return {ShaderBuilder} the builder object
   */
  setSymbolSizeExpression(t) {
    return this.hasSymbol_ = !0, this.symbolSizeExpression_ = t, this;
  }
  /**
   * @return {string} The current symbol size expression
   */
  getSymbolSizeExpression() {
    return this.symbolSizeExpression_;
  }
  /**
   * Sets an expression to compute the rotation of the shape.
   * This expression can use all the uniforms and attributes available
   * in the vertex shader, and should evaluate to a `float` value in radians.
   * @param {string} expression Size expression
   * @return {ShaderBuilder} the builder object
   */
  setSymbolRotationExpression(t) {
    return this.symbolRotationExpression_ = t, this;
  }
  /**
   * Sets an expression to compute the offset of the symbol from the point center.
   * This expression can use all the uniforms and attributes available
   * in the vertex shader, and should evaluate to a `vec2` value.
   * @param {string} expression Offset expression
   * @return {ShaderBuilder} the builder object
   */
  setSymbolOffsetExpression(t) {
    return this.symbolOffsetExpression_ = t, this;
  }
  /**
   * @return {string} The current symbol offset expression
   */
  getSymbolOffsetExpression() {
    return this.symbolOffsetExpression_;
  }
  /**
   * Sets an expression to compute the color of the shape.
   * This expression can use all the uniforms, varyings and attributes available
   * in the fragment shader, and should evaluate to a `vec4` value.
   * @param {string} expression Color expression
   * @return {ShaderBuilder} the builder object
   */
  setSymbolColorExpression(t) {
    return this.hasSymbol_ = !0, this.symbolColorExpression_ = t, this;
  }
  /**
   * @return {string} The current symbol color expression
   */
  getSymbolColorExpression() {
    return this.symbolColorExpression_;
  }
  /**
   * Sets an expression to compute the texture coordinates of the vertices.
   * This expression can use all the uniforms and attributes available
   * in the vertex shader, and should evaluate to a `vec4` value.
   * @param {string} expression Texture coordinate expression
   * @return {ShaderBuilder} the builder object
   */
  setTextureCoordinateExpression(t) {
    return this.texCoordExpression_ = t, this;
  }
  /**
   * Sets an expression to determine whether a fragment (pixel) should be discarded,
   * i.e. not drawn at all.
   * This expression can use all the uniforms, varyings and attributes available
   * in the fragment shader, and should evaluate to a `bool` value (it will be
   * used in an `if` statement)
   * @param {string} expression Fragment discard expression
   * @return {ShaderBuilder} the builder object
   */
  setFragmentDiscardExpression(t) {
    return this.discardExpression_ = t, this;
  }
  /**
   * @return {string} The current fragment discard expression
   */
  getFragmentDiscardExpression() {
    return this.discardExpression_;
  }
  /**
   * Sets whether the symbols should rotate with the view or stay aligned with the map.
   * Note: will only be used for point geometry shaders.
   * @param {boolean} rotateWithView Rotate with view
   * @return {ShaderBuilder} the builder object
   */
  setSymbolRotateWithView(t) {
    return this.symbolRotateWithView_ = t, this;
  }
  /**
   * @param {string} expression Stroke width expression, returning value in pixels
   * @return {ShaderBuilder} the builder object
   */
  setStrokeWidthExpression(t) {
    return this.hasStroke_ = !0, this.strokeWidthExpression_ = t, this;
  }
  /**
   * @param {string} expression Stroke color expression, evaluate to `vec4`: can rely on currentLengthPx and currentRadiusPx
   * @return {ShaderBuilder} the builder object
   */
  setStrokeColorExpression(t) {
    return this.hasStroke_ = !0, this.strokeColorExpression_ = t, this;
  }
  /**
   * @return {string} The current stroke color expression
   */
  getStrokeColorExpression() {
    return this.strokeColorExpression_;
  }
  /**
   * @param {string} expression Stroke color expression, evaluate to `float`
   * @return {ShaderBuilder} the builder object
   */
  setStrokeOffsetExpression(t) {
    return this.strokeOffsetExpression_ = t, this;
  }
  /**
   * @param {string} expression Stroke line cap expression, evaluate to `float`
   * @return {ShaderBuilder} the builder object
   */
  setStrokeCapExpression(t) {
    return this.strokeCapExpression_ = t, this;
  }
  /**
   * @param {string} expression Stroke line join expression, evaluate to `float`
   * @return {ShaderBuilder} the builder object
   */
  setStrokeJoinExpression(t) {
    return this.strokeJoinExpression_ = t, this;
  }
  /**
   * @param {string} expression Stroke miter limit expression, evaluate to `float`
   * @return {ShaderBuilder} the builder object
   */
  setStrokeMiterLimitExpression(t) {
    return this.strokeMiterLimitExpression_ = t, this;
  }
  /**
   * @param {string} expression Stroke distance field expression, evaluate to `float`
   * This can override the default distance field; can rely on currentLengthPx and currentRadiusPx
   * @return {ShaderBuilder} the builder object
   */
  setStrokeDistanceFieldExpression(t) {
    return this.strokeDistanceFieldExpression_ = t, this;
  }
  /**
   * Defining a pattern length for a stroke lets us avoid having visual artifacts when
   * a linestring is very long and thus has very high "distance" attributes on its vertices.
   * If we apply a pattern or dash array to a stroke we know for certain that the full distance value
   * is not necessary and can be trimmed down using `mod(currentDistance, patternLength)`.
   * @param {string} expression Stroke expression that evaluates to a`float; value is expected to be
   * in pixels.
   * @return {ShaderBuilder} the builder object
   */
  setStrokePatternLengthExpression(t) {
    return this.strokePatternLengthExpression_ = t, this;
  }
  /**
   * @return {string} The current stroke pattern length expression.
   */
  getStrokePatternLengthExpression() {
    return this.strokePatternLengthExpression_;
  }
  /**
   * @param {string} expression Fill color expression, evaluate to `vec4`
   * @return {ShaderBuilder} the builder object
   */
  setFillColorExpression(t) {
    return this.hasFill_ = !0, this.fillColorExpression_ = t, this;
  }
  /**
   * @return {string} The current fill color expression
   */
  getFillColorExpression() {
    return this.fillColorExpression_;
  }
  addVertexShaderFunction(t) {
    return this.vertexShaderFunctions_.includes(t) ? this : (this.vertexShaderFunctions_.push(t), this);
  }
  addFragmentShaderFunction(t) {
    return this.fragmentShaderFunctions_.includes(t) ? this : (this.fragmentShaderFunctions_.push(t), this);
  }
  /**
   * Generates a symbol vertex shader from the builder parameters
   * @return {string|null} The full shader as a string; null if no size or color specified
   */
  getSymbolVertexShader() {
    return this.hasSymbol_ ? `${ai}
${this.uniforms_.map((t) => `uniform ${t.type} ${t.name};`).join(`
`)}
attribute vec2 a_position;
attribute vec2 a_localPosition;
attribute vec2 a_hitColor;

varying vec2 v_texCoord;
varying vec2 v_quadCoord;
varying vec4 v_hitColor;
varying vec2 v_centerPx;
varying float v_angle;
varying vec2 v_quadSizePx;

${this.attributes_.map(
      (t) => `attribute ${t.type} ${t.name};
varying ${t.varyingType} ${t.varyingName};`
    ).join(`
`)}
${this.vertexShaderFunctions_.join(`
`)}
vec2 pxToScreen(vec2 coordPx) {
  vec2 scaled = coordPx / u_viewportSizePx / 0.5;
  return scaled;
}

vec2 screenToPx(vec2 coordScreen) {
  return (coordScreen * 0.5 + 0.5) * u_viewportSizePx;
}

void main(void) {
  v_quadSizePx = ${this.symbolSizeExpression_};
  vec2 halfSizePx = v_quadSizePx * 0.5;
  vec2 centerOffsetPx = ${this.symbolOffsetExpression_};
  vec2 offsetPx = centerOffsetPx + a_localPosition * halfSizePx * vec2(1., -1.);
  float angle = ${this.symbolRotationExpression_}${this.symbolRotateWithView_ ? " + u_rotation" : ""};
  float c = cos(-angle);
  float s = sin(-angle);
  offsetPx = vec2(c * offsetPx.x - s * offsetPx.y, s * offsetPx.x + c * offsetPx.y);
  vec4 center = u_projectionMatrix * vec4(a_position, 0.0, 1.0);
  gl_Position = center + vec4(pxToScreen(offsetPx), u_depth, 0.);
  vec4 texCoord = ${this.texCoordExpression_};
  float u = mix(texCoord.s, texCoord.p, a_localPosition.x * 0.5 + 0.5);
  float v = mix(texCoord.t, texCoord.q, a_localPosition.y * 0.5 + 0.5);
  v_texCoord = vec2(u, v);
  v_hitColor = unpackColor(a_hitColor);
  v_angle = angle;
  c = cos(-v_angle);
  s = sin(-v_angle);
  centerOffsetPx = vec2(c * centerOffsetPx.x - s * centerOffsetPx.y, s * centerOffsetPx.x + c * centerOffsetPx.y);
  v_centerPx = screenToPx(center.xy) + centerOffsetPx;
${this.attributes_.map(
      (t) => `  ${t.varyingName} = ${t.varyingExpression};`
    ).join(`
`)}
}` : null;
  }
  /**
   * Generates a symbol fragment shader from the builder parameters
   * @return {string|null} The full shader as a string; null if no size or color specified
   */
  getSymbolFragmentShader() {
    return this.hasSymbol_ ? `${ai}
${this.uniforms_.map((t) => `uniform ${t.type} ${t.name};`).join(`
`)}
varying vec2 v_texCoord;
varying vec4 v_hitColor;
varying vec2 v_centerPx;
varying float v_angle;
varying vec2 v_quadSizePx;
${this.attributes_.map(
      (t) => `varying ${t.varyingType} ${t.varyingName};`
    ).join(`
`)}
${this.fragmentShaderFunctions_.join(`
`)}

void main(void) {
${this.attributes_.map(
      (t) => `  ${t.varyingType} ${t.name} = ${t.varyingName}; // assign to original attribute name`
    ).join(`
`)}
  if (${this.discardExpression_}) { discard; }
  vec2 coordsPx = gl_FragCoord.xy / u_pixelRatio - v_centerPx; // relative to center
  float c = cos(v_angle);
  float s = sin(v_angle);
  coordsPx = vec2(c * coordsPx.x - s * coordsPx.y, s * coordsPx.x + c * coordsPx.y);
  gl_FragColor = ${this.symbolColorExpression_};
  gl_FragColor.rgb *= gl_FragColor.a;
  if (u_hitDetection > 0) {
    if (gl_FragColor.a < 0.05) { discard; };
    gl_FragColor = v_hitColor;
  }
}` : null;
  }
  /**
   * Generates a stroke vertex shader from the builder parameters
   * @return {string|null} The full shader as a string; null if no size or color specified
   */
  getStrokeVertexShader() {
    return this.hasStroke_ ? `${ai}
${this.uniforms_.map((t) => `uniform ${t.type} ${t.name};`).join(`
`)}
attribute vec2 a_segmentStart;
attribute vec2 a_segmentEnd;
attribute vec2 a_localPosition;
attribute float a_measureStart;
attribute float a_measureEnd;
attribute float a_angleTangentSum;
attribute float a_distanceLow;
attribute float a_distanceHigh;
attribute vec2 a_joinAngles;
attribute vec2 a_hitColor;

varying vec2 v_segmentStartPx;
varying vec2 v_segmentEndPx;
varying float v_angleStart;
varying float v_angleEnd;
varying float v_width;
varying vec4 v_hitColor;
varying float v_distancePx;
varying float v_measureStart;
varying float v_measureEnd;

${this.attributes_.map(
      (t) => `attribute ${t.type} ${t.name};
varying ${t.varyingType} ${t.varyingName};`
    ).join(`
`)}
${this.vertexShaderFunctions_.join(`
`)}
vec2 worldToPx(vec2 worldPos) {
  vec4 screenPos = u_projectionMatrix * vec4(worldPos, 0.0, 1.0);
  return (0.5 * screenPos.xy + 0.5) * u_viewportSizePx;
}

vec4 pxToScreen(vec2 pxPos) {
  vec2 screenPos = 2.0 * pxPos / u_viewportSizePx - 1.0;
  return vec4(screenPos, u_depth, 1.0);
}

bool isCap(float joinAngle) {
  return joinAngle < -0.1;
}

vec2 getJoinOffsetDirection(vec2 normalPx, float joinAngle) {
  float halfAngle = joinAngle / 2.0;
  float c = cos(halfAngle);
  float s = sin(halfAngle);
  vec2 angleBisectorNormal = vec2(s * normalPx.x + c * normalPx.y, -c * normalPx.x + s * normalPx.y);
  float length = 1.0 / s;
  return angleBisectorNormal * length;
}

vec2 getOffsetPoint(vec2 point, vec2 normal, float joinAngle, float offsetPx) {
  // if on a cap or the join angle is too high, offset the line along the segment normal
  if (cos(joinAngle) > 0.998 || isCap(joinAngle)) {
    return point - normal * offsetPx;
  }
  // offset is applied along the inverted normal (positive offset goes "right" relative to line direction)
  return point - getJoinOffsetDirection(normal, joinAngle) * offsetPx;
}

void main(void) {
  v_angleStart = a_joinAngles.x;
  v_angleEnd = a_joinAngles.y;
  float startEndRatio = a_localPosition.x * 0.5 + 0.5;
  currentLineMetric = mix(a_measureStart, a_measureEnd, startEndRatio);
  // we're reading the fractional part while keeping the sign (so -4.12 gives -0.12, 3.45 gives 0.45)

  float lineWidth = ${this.strokeWidthExpression_};
  float lineOffsetPx = ${this.strokeOffsetExpression_};

  // compute segment start/end in px with offset
  vec2 segmentStartPx = worldToPx(a_segmentStart);
  vec2 segmentEndPx = worldToPx(a_segmentEnd);
  vec2 tangentPx = normalize(segmentEndPx - segmentStartPx);
  vec2 normalPx = vec2(-tangentPx.y, tangentPx.x);
  segmentStartPx = getOffsetPoint(segmentStartPx, normalPx, v_angleStart, lineOffsetPx),
  segmentEndPx = getOffsetPoint(segmentEndPx, normalPx, v_angleEnd, lineOffsetPx);

  // compute current vertex position
  float normalDir = -1. * a_localPosition.y;
  float tangentDir = -1. * a_localPosition.x;
  float angle = mix(v_angleStart, v_angleEnd, startEndRatio);
  vec2 joinDirection;
  vec2 positionPx = mix(segmentStartPx, segmentEndPx, startEndRatio);
  // if angle is too high, do not make a proper join
  if (cos(angle) > ${Kh} || isCap(angle)) {
    joinDirection = normalPx * normalDir - tangentPx * tangentDir;
  } else {
    joinDirection = getJoinOffsetDirection(normalPx * normalDir, angle);
  }
  positionPx = positionPx + joinDirection * (lineWidth * 0.5 + 1.); // adding 1 pixel for antialiasing
  gl_Position = pxToScreen(positionPx);

  v_segmentStartPx = segmentStartPx;
  v_segmentEndPx = segmentEndPx;
  v_width = lineWidth;
  v_hitColor = unpackColor(a_hitColor);

  v_distancePx = a_distanceLow / u_resolution - (lineOffsetPx * a_angleTangentSum);
  float distanceHighPx = a_distanceHigh / u_resolution;
  ${this.strokePatternLengthExpression_ !== null ? `v_distancePx = mod(v_distancePx, ${this.strokePatternLengthExpression_});
  distanceHighPx = mod(distanceHighPx, ${this.strokePatternLengthExpression_});
  ` : ""}v_distancePx += distanceHighPx;

  v_measureStart = a_measureStart;
  v_measureEnd = a_measureEnd;
${this.attributes_.map(
      (t) => `  ${t.varyingName} = ${t.varyingExpression};`
    ).join(`
`)}
}` : null;
  }
  /**
   * Generates a stroke fragment shader from the builder parameters
   *
   * @return {string|null} The full shader as a string; null if no size or color specified
   */
  getStrokeFragmentShader() {
    return this.hasStroke_ ? `${ai}
${this.uniforms_.map((t) => `uniform ${t.type} ${t.name};`).join(`
`)}
varying vec2 v_segmentStartPx;
varying vec2 v_segmentEndPx;
varying float v_angleStart;
varying float v_angleEnd;
varying float v_width;
varying vec4 v_hitColor;
varying float v_distancePx;
varying float v_measureStart;
varying float v_measureEnd;
${this.attributes_.map(
      (t) => `varying ${t.varyingType} ${t.varyingName};`
    ).join(`
`)}
${this.fragmentShaderFunctions_.join(`
`)}

vec2 pxToWorld(vec2 pxPos) {
  vec2 screenPos = 2.0 * pxPos / u_viewportSizePx - 1.0;
  return (u_screenToWorldMatrix * vec4(screenPos, 0.0, 1.0)).xy;
}

bool isCap(float joinAngle) {
  return joinAngle < -0.1;
}

float segmentDistanceField(vec2 point, vec2 start, vec2 end, float width) {
  vec2 tangent = normalize(end - start);
  vec2 normal = vec2(-tangent.y, tangent.x);
  vec2 startToPoint = point - start;
  return abs(dot(startToPoint, normal)) - width * 0.5;
}

float buttCapDistanceField(vec2 point, vec2 start, vec2 end) {
  vec2 startToPoint = point - start;
  vec2 tangent = normalize(end - start);
  return dot(startToPoint, -tangent);
}

float squareCapDistanceField(vec2 point, vec2 start, vec2 end, float width) {
  return buttCapDistanceField(point, start, end) - width * 0.5;
}

float roundCapDistanceField(vec2 point, vec2 start, vec2 end, float width) {
  float onSegment = max(0., 1000. * dot(point - start, end - start)); // this is very high when inside the segment
  return length(point - start) - width * 0.5 - onSegment;
}

float roundJoinDistanceField(vec2 point, vec2 start, vec2 end, float width) {
  return roundCapDistanceField(point, start, end, width);
}

float bevelJoinField(vec2 point, vec2 start, vec2 end, float width, float joinAngle) {
  vec2 startToPoint = point - start;
  vec2 tangent = normalize(end - start);
  float c = cos(joinAngle * 0.5);
  float s = sin(joinAngle * 0.5);
  float direction = -sign(sin(joinAngle));
  vec2 bisector = vec2(c * tangent.x - s * tangent.y, s * tangent.x + c * tangent.y);
  float radius = width * 0.5 * s;
  return dot(startToPoint, bisector * direction) - radius;
}

float miterJoinDistanceField(vec2 point, vec2 start, vec2 end, float width, float joinAngle) {
  if (cos(joinAngle) > ${Kh}) { // avoid risking a division by zero
    return bevelJoinField(point, start, end, width, joinAngle);
  }
  float miterLength = 1. / sin(joinAngle * 0.5);
  float miterLimit = ${this.strokeMiterLimitExpression_};
  if (miterLength > miterLimit) {
    return bevelJoinField(point, start, end, width, joinAngle);
  }
  return -1000.;
}

float capDistanceField(vec2 point, vec2 start, vec2 end, float width, float capType) {
   if (capType == ${He("butt")}) {
    return buttCapDistanceField(point, start, end);
  } else if (capType == ${He("square")}) {
    return squareCapDistanceField(point, start, end, width);
  }
  return roundCapDistanceField(point, start, end, width);
}

float joinDistanceField(vec2 point, vec2 start, vec2 end, float width, float joinAngle, float joinType) {
  if (joinType == ${He("bevel")}) {
    return bevelJoinField(point, start, end, width, joinAngle);
  } else if (joinType == ${He("miter")}) {
    return miterJoinDistanceField(point, start, end, width, joinAngle);
  }
  return roundJoinDistanceField(point, start, end, width);
}

float computeSegmentPointDistance(vec2 point, vec2 start, vec2 end, float width, float joinAngle, float capType, float joinType) {
  if (isCap(joinAngle)) {
    return capDistanceField(point, start, end, width, capType);
  }
  return joinDistanceField(point, start, end, width, joinAngle, joinType);
}

float distanceFromSegment(vec2 point, vec2 start, vec2 end) {
  vec2 tangent = end - start;
  vec2 startToPoint = point - start;
  // inspire by capsule fn in https://iquilezles.org/articles/distfunctions/
  float h = clamp(dot(startToPoint, tangent) / dot(tangent, tangent), 0.0, 1.0);
  return length(startToPoint - tangent * h);
}

void main(void) {
${this.attributes_.map(
      (t) => `  ${t.varyingType} ${t.name} = ${t.varyingName}; // assign to original attribute name`
    ).join(`
`)}

  vec2 currentPointPx = gl_FragCoord.xy / u_pixelRatio;
  #ifdef GL_FRAGMENT_PRECISION_HIGH
  vec2 worldPos = pxToWorld(currentPointPx);
  if (
    abs(u_renderExtent[0] - u_renderExtent[2]) > 0.0 && (
      worldPos[0] < u_renderExtent[0] ||
      worldPos[1] < u_renderExtent[1] ||
      worldPos[0] > u_renderExtent[2] ||
      worldPos[1] > u_renderExtent[3]
    )
  ) {
    discard;
  }
  #endif

  float segmentLengthPx = length(v_segmentEndPx - v_segmentStartPx);
  segmentLengthPx = max(segmentLengthPx, 1.17549429e-38); // avoid divide by zero
  vec2 segmentTangent = (v_segmentEndPx - v_segmentStartPx) / segmentLengthPx;
  vec2 segmentNormal = vec2(-segmentTangent.y, segmentTangent.x);
  vec2 startToPointPx = currentPointPx - v_segmentStartPx;
  float lengthToPointPx = max(0., min(dot(segmentTangent, startToPointPx), segmentLengthPx));
  float currentLengthPx = lengthToPointPx + v_distancePx;
  float currentRadiusPx = distanceFromSegment(currentPointPx, v_segmentStartPx, v_segmentEndPx);
  float currentRadiusRatio = dot(segmentNormal, startToPointPx) * 2. / v_width;
  currentLineMetric = mix(v_measureStart, v_measureEnd, lengthToPointPx / segmentLengthPx);

  if (${this.discardExpression_}) { discard; }

  float capType = ${this.strokeCapExpression_};
  float joinType = ${this.strokeJoinExpression_};
  float segmentStartDistance = computeSegmentPointDistance(currentPointPx, v_segmentStartPx, v_segmentEndPx, v_width, v_angleStart, capType, joinType);
  float segmentEndDistance = computeSegmentPointDistance(currentPointPx, v_segmentEndPx, v_segmentStartPx, v_width, v_angleEnd, capType, joinType);
  float distanceField = max(
    segmentDistanceField(currentPointPx, v_segmentStartPx, v_segmentEndPx, v_width),
    max(segmentStartDistance, segmentEndDistance)
  );
  distanceField = max(distanceField, ${this.strokeDistanceFieldExpression_});

  vec4 color = ${this.strokeColorExpression_};
  color.a *= smoothstep(0.5, -0.5, distanceField);
  gl_FragColor = color;
  gl_FragColor.a *= u_globalAlpha;
  gl_FragColor.rgb *= gl_FragColor.a;
  if (u_hitDetection > 0) {
    if (gl_FragColor.a < 0.1) { discard; };
    gl_FragColor = v_hitColor;
  }
}` : null;
  }
  /**
   * Generates a fill vertex shader from the builder parameters
   *
   * @return {string|null} The full shader as a string; null if no color specified
   */
  getFillVertexShader() {
    return this.hasFill_ ? `${ai}
${this.uniforms_.map((t) => `uniform ${t.type} ${t.name};`).join(`
`)}
attribute vec2 a_position;
attribute vec2 a_hitColor;

varying vec4 v_hitColor;

${this.attributes_.map(
      (t) => `attribute ${t.type} ${t.name};
varying ${t.varyingType} ${t.varyingName};`
    ).join(`
`)}
${this.vertexShaderFunctions_.join(`
`)}
void main(void) {
  gl_Position = u_projectionMatrix * vec4(a_position, u_depth, 1.0);
  v_hitColor = unpackColor(a_hitColor);
${this.attributes_.map(
      (t) => `  ${t.varyingName} = ${t.varyingExpression};`
    ).join(`
`)}
}` : null;
  }
  /**
   * Generates a fill fragment shader from the builder parameters
   * @return {string|null} The full shader as a string; null if no color specified
   */
  getFillFragmentShader() {
    return this.hasFill_ ? `${ai}
${this.uniforms_.map((t) => `uniform ${t.type} ${t.name};`).join(`
`)}
varying vec4 v_hitColor;
${this.attributes_.map(
      (t) => `varying ${t.varyingType} ${t.varyingName};`
    ).join(`
`)}
${this.fragmentShaderFunctions_.join(`
`)}
vec2 pxToWorld(vec2 pxPos) {
  vec2 screenPos = 2.0 * pxPos / u_viewportSizePx - 1.0;
  return (u_screenToWorldMatrix * vec4(screenPos, 0.0, 1.0)).xy;
}

vec2 worldToPx(vec2 worldPos) {
  vec4 screenPos = u_projectionMatrix * vec4(worldPos, 0.0, 1.0);
  return (0.5 * screenPos.xy + 0.5) * u_viewportSizePx;
}

void main(void) {
${this.attributes_.map(
      (t) => `  ${t.varyingType} ${t.name} = ${t.varyingName}; // assign to original attribute name`
    ).join(`
`)}
  vec2 pxPos = gl_FragCoord.xy / u_pixelRatio;
  vec2 pxOrigin = worldToPx(u_patternOrigin);
  #ifdef GL_FRAGMENT_PRECISION_HIGH
  vec2 worldPos = pxToWorld(pxPos);
  if (
    abs(u_renderExtent[0] - u_renderExtent[2]) > 0.0 && (
      worldPos[0] < u_renderExtent[0] ||
      worldPos[1] < u_renderExtent[1] ||
      worldPos[0] > u_renderExtent[2] ||
      worldPos[1] > u_renderExtent[3]
    )
  ) {
    discard;
  }
  #endif
  if (${this.discardExpression_}) { discard; }
  gl_FragColor = ${this.fillColorExpression_};
  gl_FragColor.a *= u_globalAlpha;
  gl_FragColor.rgb *= gl_FragColor.a;
  if (u_hitDetection > 0) {
    if (gl_FragColor.a < 0.1) { discard; };
    gl_FragColor = v_hitColor;
  }
}` : null;
  }
}
function Is(i) {
  return (JSON.stringify(i).split("").reduce((t, e) => (t << 5) - t + e.charCodeAt(0), 0) >>> 0).toString();
}
function Cl(i, t, e, n) {
  if (`${n}radius` in i && n !== "icon-") {
    let r = Z(
      e,
      i[`${n}radius`],
      N
    );
    if (`${n}radius2` in i) {
      const s = Z(
        e,
        i[`${n}radius2`],
        N
      );
      r = `max(${r}, ${s})`;
    }
    `${n}stroke-width` in i && (r = `(${r} + ${Z(
      e,
      i[`${n}stroke-width`],
      N
    )} * 0.5)`), t.setSymbolSizeExpression(`vec2(${r} * 2. + 0.5)`);
  }
  if (`${n}scale` in i) {
    const r = Z(
      e,
      i[`${n}scale`],
      ye
    );
    t.setSymbolSizeExpression(
      `${t.getSymbolSizeExpression()} * ${r}`
    );
  }
  `${n}displacement` in i && t.setSymbolOffsetExpression(
    Z(
      e,
      i[`${n}displacement`],
      re
    )
  ), `${n}rotation` in i && t.setSymbolRotationExpression(
    Z(e, i[`${n}rotation`], N)
  ), `${n}rotate-with-view` in i && t.setSymbolRotateWithView(!!i[`${n}rotate-with-view`]);
}
function Uu(i, t, e, n, r) {
  let s = "vec4(0.)";
  if (t !== null && (s = t), e !== null && n !== null) {
    const l = `smoothstep(-${n} + 0.63, -${n} - 0.58, ${i})`;
    s = `mix(${e}, ${s}, ${l})`;
  }
  const o = `(1.0 - smoothstep(-0.63, 0.58, ${i}))`;
  let a = `${s} * vec4(1.0, 1.0, 1.0, ${o})`;
  return r !== null && (a = `${a} * vec4(1.0, 1.0, 1.0, ${r})`), a;
}
function Tl(i, t, e, n, r) {
  const s = new Image();
  s.crossOrigin = i[`${n}cross-origin`] === void 0 ? "anonymous" : i[`${n}cross-origin`], nt(
    typeof i[`${n}src`] == "string",
    `WebGL layers do not support expressions for the ${n}src style property`
  ), s.src = /** @type {string} */
  i[`${n}src`], e[`u_texture${r}_size`] = () => s.complete ? [s.width, s.height] : [0, 0], t.addUniform(`u_texture${r}_size`, "vec2");
  const o = `u_texture${r}_size`;
  return e[`u_texture${r}`] = s, t.addUniform(`u_texture${r}`, "sampler2D"), o;
}
function wl(i, t, e, n, r) {
  let s = Z(
    e,
    i[`${t}offset`],
    ye
  );
  if (`${t}offset-origin` in i)
    switch (i[`${t}offset-origin`]) {
      case "top-right":
        s = `vec2(${n}.x, 0.) + ${r} * vec2(-1., 0.) + ${s} * vec2(-1., 1.)`;
        break;
      case "bottom-left":
        s = `vec2(0., ${n}.y) + ${r} * vec2(0., -1.) + ${s} * vec2(1., -1.)`;
        break;
      case "bottom-right":
        s = `${n} - ${r} - ${s}`;
        break;
    }
  return s;
}
function ly(i, t, e, n) {
  n.functions.circleDistanceField = `float circleDistanceField(vec2 point, float radius) {
  return length(point) - radius;
}`, Cl(i, t, n, "circle-");
  let r = null;
  "circle-opacity" in i && (r = Z(n, i["circle-opacity"], N));
  let s = "coordsPx";
  "circle-scale" in i && (s = `coordsPx / ${Z(n, i["circle-scale"], ye)}`);
  let o = null;
  "circle-fill-color" in i && (o = Z(
    n,
    i["circle-fill-color"],
    ut
  ));
  let a = null;
  "circle-stroke-color" in i && (a = Z(
    n,
    i["circle-stroke-color"],
    ut
  ));
  let l = Z(n, i["circle-radius"], N), h = null;
  "circle-stroke-width" in i && (h = Z(
    n,
    i["circle-stroke-width"],
    N
  ), l = `(${l} + ${h} * 0.5)`);
  const c = `circleDistanceField(${s}, ${l})`, u = Uu(
    c,
    o,
    a,
    h,
    r
  );
  t.setSymbolColorExpression(u);
}
function hy(i, t, e, n) {
  n.functions.round = `float round(float v) {
  return sign(v) * floor(abs(v) + 0.5);
}`, n.functions.starDistanceField = `float starDistanceField(vec2 point, float numPoints, float radius, float radius2, float angle) {
  float startAngle = -PI * 0.5 + angle; // tip starts upwards and rotates clockwise with angle
  float c = cos(startAngle);
  float s = sin(startAngle);
  vec2 pointRotated = vec2(c * point.x - s * point.y, s * point.x + c * point.y);
  float alpha = TWO_PI / numPoints; // the angle of one sector
  float beta = atan(pointRotated.y, pointRotated.x);
  float gamma = round(beta / alpha) * alpha; // angle in sector
  c = cos(-gamma);
  s = sin(-gamma);
  vec2 inSector = vec2(c * pointRotated.x - s * pointRotated.y, abs(s * pointRotated.x + c * pointRotated.y));
  vec2 tipToPoint = inSector + vec2(-radius, 0.);
  vec2 edgeNormal = vec2(radius2 * sin(alpha * 0.5), -radius2 * cos(alpha * 0.5) + radius);
  return dot(normalize(edgeNormal), tipToPoint);
}`, n.functions.regularDistanceField = `float regularDistanceField(vec2 point, float numPoints, float radius, float angle) {
  float startAngle = -PI * 0.5 + angle; // tip starts upwards and rotates clockwise with angle
  float c = cos(startAngle);
  float s = sin(startAngle);
  vec2 pointRotated = vec2(c * point.x - s * point.y, s * point.x + c * point.y);
  float alpha = TWO_PI / numPoints; // the angle of one sector
  float radiusIn = radius * cos(PI / numPoints);
  float beta = atan(pointRotated.y, pointRotated.x);
  float gamma = round((beta - alpha * 0.5) / alpha) * alpha + alpha * 0.5; // angle in sector from mid
  c = cos(-gamma);
  s = sin(-gamma);
  vec2 inSector = vec2(c * pointRotated.x - s * pointRotated.y, abs(s * pointRotated.x + c * pointRotated.y));
  return inSector.x - radiusIn;
}`, Cl(i, t, n, "shape-");
  let r = null;
  "shape-opacity" in i && (r = Z(n, i["shape-opacity"], N));
  let s = "coordsPx";
  "shape-scale" in i && (s = `coordsPx / ${Z(n, i["shape-scale"], ye)}`);
  let o = null;
  "shape-fill-color" in i && (o = Z(n, i["shape-fill-color"], ut));
  let a = null;
  "shape-stroke-color" in i && (a = Z(
    n,
    i["shape-stroke-color"],
    ut
  ));
  let l = null;
  "shape-stroke-width" in i && (l = Z(
    n,
    i["shape-stroke-width"],
    N
  ));
  const h = Z(
    n,
    i["shape-points"],
    N
  );
  let c = "0.";
  "shape-angle" in i && (c = Z(n, i["shape-angle"], N));
  let u, d = Z(n, i["shape-radius"], N);
  if (l !== null && (d = `${d} + ${l} * 0.5`), "shape-radius2" in i) {
    let f = Z(n, i["shape-radius2"], N);
    l !== null && (f = `${f} + ${l} * 0.5`), u = `starDistanceField(${s}, ${h}, ${d}, ${f}, ${c})`;
  } else
    u = `regularDistanceField(${s}, ${h}, ${d}, ${c})`;
  const g = Uu(
    u,
    o,
    a,
    l,
    r
  );
  t.setSymbolColorExpression(g);
}
function cy(i, t, e, n) {
  let r = "vec4(1.0)";
  "icon-color" in i && (r = Z(n, i["icon-color"], ut)), "icon-opacity" in i && (r = `${r} * vec4(1.0, 1.0, 1.0, ${Z(
    n,
    i["icon-opacity"],
    N
  )})`);
  const s = Is(i["icon-src"]), o = Tl(
    i,
    t,
    e,
    "icon-",
    s
  );
  if (t.setSymbolColorExpression(
    `${r} * texture2D(u_texture${s}, v_texCoord)`
  ).setSymbolSizeExpression(o), "icon-width" in i && "icon-height" in i && t.setSymbolSizeExpression(
    `vec2(${Z(
      n,
      i["icon-width"],
      N
    )}, ${Z(n, i["icon-height"], N)})`
  ), "icon-offset" in i && "icon-size" in i) {
    const a = Z(
      n,
      i["icon-size"],
      re
    ), l = t.getSymbolSizeExpression();
    t.setSymbolSizeExpression(a);
    const h = wl(
      i,
      "icon-",
      n,
      "v_quadSizePx",
      a
    );
    t.setTextureCoordinateExpression(
      `(vec4((${h}).xyxy) + vec4(0., 0., ${a})) / (${l}).xyxy`
    );
  }
  if (Cl(i, t, n, "icon-"), "icon-anchor" in i) {
    const a = Z(
      n,
      i["icon-anchor"],
      re
    );
    let l = "1.0";
    "icon-scale" in i && (l = Z(n, i["icon-scale"], ye));
    let h;
    i["icon-anchor-x-units"] === "pixels" && i["icon-anchor-y-units"] === "pixels" ? h = `${a} * ${l}` : i["icon-anchor-x-units"] === "pixels" ? h = `${a} * vec2(vec2(${l}).x, v_quadSizePx.y)` : i["icon-anchor-y-units"] === "pixels" ? h = `${a} * vec2(v_quadSizePx.x, vec2(${l}).x)` : h = `${a} * v_quadSizePx`;
    let c = `v_quadSizePx * vec2(0.5, -0.5) + ${h} * vec2(-1., 1.)`;
    if ("icon-anchor-origin" in i)
      switch (i["icon-anchor-origin"]) {
        case "top-right":
          c = `v_quadSizePx * -0.5 + ${h}`;
          break;
        case "bottom-left":
          c = `v_quadSizePx * 0.5 - ${h}`;
          break;
        case "bottom-right":
          c = `v_quadSizePx * vec2(-0.5, 0.5) + ${h} * vec2(1., -1.)`;
          break;
      }
    t.setSymbolOffsetExpression(
      `${t.getSymbolOffsetExpression()} + ${c}`
    );
  }
}
function uy(i, t, e, n) {
  if ("stroke-color" in i && t.setStrokeColorExpression(
    Z(n, i["stroke-color"], ut)
  ), "stroke-pattern-src" in i) {
    const r = Is(i["stroke-pattern-src"]), s = Tl(
      i,
      t,
      e,
      "stroke-pattern-",
      r
    );
    let o = s, a = "vec2(0.)";
    "stroke-pattern-offset" in i && "stroke-pattern-size" in i && (o = Z(
      n,
      i["stroke-pattern-size"],
      re
    ), a = wl(
      i,
      "stroke-pattern-",
      n,
      s,
      o
    ));
    let l = "0.";
    "stroke-pattern-spacing" in i && (l = Z(
      n,
      i["stroke-pattern-spacing"],
      N
    ));
    let h = "0.";
    "stroke-pattern-start-offset" in i && (h = Z(
      n,
      i["stroke-pattern-start-offset"],
      N
    )), n.functions.sampleStrokePattern = `vec4 sampleStrokePattern(sampler2D texture, vec2 textureSize, vec2 textureOffset, vec2 sampleSize, float spacingPx, float startOffsetPx, float currentLengthPx, float currentRadiusRatio, float lineWidth) {
  float currentLengthScaled = (currentLengthPx - startOffsetPx) * sampleSize.y / lineWidth;
  float spacingScaled = spacingPx * sampleSize.y / lineWidth;
  float uCoordPx = mod(currentLengthScaled, (sampleSize.x + spacingScaled));
  float isInsideOfPattern = step(uCoordPx, sampleSize.x);
  float vCoordPx = (-currentRadiusRatio * 0.5 + 0.5) * sampleSize.y;
  // make sure that we're not sampling too close to the borders to avoid interpolation with outside pixels
  uCoordPx = clamp(uCoordPx, 0.5, sampleSize.x - 0.5);
  vCoordPx = clamp(vCoordPx, 0.5, sampleSize.y - 0.5);
  vec2 texCoord = (vec2(uCoordPx, vCoordPx) + textureOffset) / textureSize;
  return texture2D(texture, texCoord) * vec4(1.0, 1.0, 1.0, isInsideOfPattern);
}`;
    const c = `u_texture${r}`;
    let u = "1.";
    "stroke-color" in i && (u = t.getStrokeColorExpression()), t.setStrokeColorExpression(
      `${u} * sampleStrokePattern(${c}, ${s}, ${a}, ${o}, ${l}, ${h}, currentLengthPx, currentRadiusRatio, v_width)`
    ), n.functions.computeStrokePatternLength = `float computeStrokePatternLength(vec2 sampleSize, float spacingPx, float lineWidth) {
  float patternLengthPx = sampleSize.x / sampleSize.y * lineWidth;
  return patternLengthPx + spacingPx;
}`, t.setStrokePatternLengthExpression(
      `computeStrokePatternLength(${o}, ${l}, v_width)`
    );
  }
  if ("stroke-width" in i && t.setStrokeWidthExpression(
    Z(n, i["stroke-width"], N)
  ), "stroke-offset" in i && t.setStrokeOffsetExpression(
    Z(n, i["stroke-offset"], N)
  ), "stroke-line-cap" in i && t.setStrokeCapExpression(
    Z(n, i["stroke-line-cap"], Tt)
  ), "stroke-line-join" in i && t.setStrokeJoinExpression(
    Z(n, i["stroke-line-join"], Tt)
  ), "stroke-miter-limit" in i && t.setStrokeMiterLimitExpression(
    Z(n, i["stroke-miter-limit"], N)
  ), "stroke-line-dash" in i) {
    n.functions.getSingleDashDistance = `float getSingleDashDistance(float distance, float radius, float dashOffset, float dashLength, float dashLengthTotal, float capType, float lineWidth) {
  float localDistance = mod(distance, dashLengthTotal);
  float distanceSegment = abs(localDistance - dashOffset - dashLength * 0.5) - dashLength * 0.5;
  distanceSegment = min(distanceSegment, dashLengthTotal - localDistance);
  if (capType == ${He("square")}) {
    distanceSegment -= lineWidth * 0.5;
  } else if (capType == ${He("round")}) {
    distanceSegment = min(distanceSegment, sqrt(distanceSegment * distanceSegment + radius * radius) - lineWidth * 0.5);
  }
  return distanceSegment;
}`;
    let r = i["stroke-line-dash"].map(
      (g) => Z(n, g, N)
    );
    r.length % 2 === 1 && (r = [...r, ...r]);
    let s = "0.";
    "stroke-line-dash-offset" in i && (s = Z(
      n,
      i["stroke-line-dash-offset"],
      N
    ));
    const o = `dashDistanceField_${Is(i["stroke-line-dash"])}`, a = r.map((g, f) => `float dashLength${f}`).join(", "), l = r.map((g, f) => `dashLength${f}`).join(" + ");
    let h = "0.", c = `getSingleDashDistance(distance, radius, ${h}, dashLength0, totalDashLength, capType, lineWidth)`;
    for (let g = 2; g < r.length; g += 2)
      h = `${h} + dashLength${g - 2} + dashLength${g - 1}`, c = `min(${c}, getSingleDashDistance(distance, radius, ${h}, dashLength${g}, totalDashLength, capType, lineWidth))`;
    n.functions[o] = `float ${o}(float distance, float radius, float capType, float lineWidth, ${a}) {
  float totalDashLength = ${l};
  return ${c};
}`;
    const u = r.map((g, f) => `${g}`).join(", ");
    t.setStrokeDistanceFieldExpression(
      `${o}(currentLengthPx + ${s}, currentRadiusPx, capType, v_width, ${u})`
    );
    let d = r.join(" + ");
    t.getStrokePatternLengthExpression() && (n.functions.combinePatternLengths = `float combinePatternLengths(float patternLength1, float patternLength2) {
  return patternLength1 * patternLength2;
}`, d = `combinePatternLengths(${t.getStrokePatternLengthExpression()}, ${d})`), t.setStrokePatternLengthExpression(d);
  }
}
function dy(i, t, e, n) {
  if ("fill-color" in i && t.setFillColorExpression(
    Z(n, i["fill-color"], ut)
  ), "fill-pattern-src" in i) {
    const r = Is(i["fill-pattern-src"]), s = Tl(
      i,
      t,
      e,
      "fill-pattern-",
      r
    );
    let o = s, a = "vec2(0.)";
    "fill-pattern-offset" in i && "fill-pattern-size" in i && (o = Z(
      n,
      i["fill-pattern-size"],
      re
    ), a = wl(
      i,
      "fill-pattern-",
      n,
      s,
      o
    )), n.functions.sampleFillPattern = `vec4 sampleFillPattern(sampler2D texture, vec2 textureSize, vec2 textureOffset, vec2 sampleSize, vec2 pxOrigin, vec2 pxPosition) {
  float scaleRatio = pow(2., mod(u_zoom + 0.5, 1.) - 0.5);
  vec2 pxRelativePos = pxPosition - pxOrigin;
  // rotate the relative position from origin by the current view rotation
  pxRelativePos = vec2(pxRelativePos.x * cos(u_rotation) - pxRelativePos.y * sin(u_rotation), pxRelativePos.x * sin(u_rotation) + pxRelativePos.y * cos(u_rotation));
  // sample position is computed according to the sample offset & size
  vec2 samplePos = mod(pxRelativePos / scaleRatio, sampleSize);
  // also make sure that we're not sampling too close to the borders to avoid interpolation with outside pixels
  samplePos = clamp(samplePos, vec2(0.5), sampleSize - vec2(0.5));
  samplePos.y = sampleSize.y - samplePos.y; // invert y axis so that images appear upright
  return texture2D(texture, (samplePos + textureOffset) / textureSize);
}`;
    const l = `u_texture${r}`;
    let h = "1.";
    "fill-color" in i && (h = t.getFillColorExpression()), t.setFillColorExpression(
      `${h} * sampleFillPattern(${l}, ${s}, ${a}, ${o}, pxOrigin, pxPos)`
    );
  }
}
function Hh(i, t, e) {
  const n = Z0(), r = new ay(), s = {};
  if ("icon-src" in i ? cy(i, r, s, n) : "shape-points" in i ? hy(i, r, s, n) : "circle-radius" in i && ly(i, r, s, n), uy(i, r, s, n), dy(i, r, s, n), e) {
    const l = Z(n, e, Ct);
    r.setFragmentDiscardExpression(`!${l}`);
  }
  const o = {};
  function a(l, h, c, u) {
    if (!n[l])
      return;
    const d = pa(c), g = Sl(c);
    r.addAttribute(`a_${h}`, d), o[h] = {
      size: g,
      callback: u
    };
  }
  return a(
    "geometryType",
    Bu,
    Tt,
    (l) => Rr(Ka(l.getGeometry()))
  ), a(
    "featureId",
    Gu,
    Tt | N,
    (l) => {
      const h = l.getId() ?? null;
      return typeof h == "string" ? Rr(h) : h;
    }
  ), ry(r, n), {
    builder: r,
    attributes: { ...o, ...oy(n) },
    uniforms: {
      ...s,
      ...sy(n, t)
    }
  };
}
const gy = [];
let Uo;
function fy() {
  return Uo || (Uo = A0()), Uo;
}
let _y = 0;
const _e = {
  POSITION: "a_position",
  LOCAL_POSITION: "a_localPosition",
  SEGMENT_START: "a_segmentStart",
  SEGMENT_END: "a_segmentEnd",
  MEASURE_START: "a_measureStart",
  MEASURE_END: "a_measureEnd",
  ANGLE_TANGENT_SUM: "a_angleTangentSum",
  JOIN_ANGLES: "a_joinAngles",
  DISTANCE_LOW: "a_distanceLow",
  DISTANCE_HIGH: "a_distanceHigh"
};
class py {
  /**
   * @param {FlatStyleLike|StyleShaders|Array<StyleShaders>} styles Vector styles expressed as flat styles, flat style rules or style shaders
   * @param {import('../../style/flat.js').StyleVariables} variables Style variables
   * @param {import('../../webgl/Helper.js').default} helper Helper
   * @param {boolean} [enableHitDetection] Whether to enable the hit detection (needs compatible shader)
   */
  constructor(t, e, n, r) {
    this.helper_, this.hitDetectionEnabled_ = !!r, this.styleShaders = my(t, e), this.customAttributes_ = {}, this.uniforms_ = {}, this.hitDetectionEnabled_ && (this.customAttributes_.hitColor = {
      callback() {
        return F0(this.ref, gy);
      },
      size: 2
    });
    for (const s of this.styleShaders) {
      for (const o in s.attributes)
        o in this.customAttributes_ || (this.customAttributes_[o] = s.attributes[o]);
      for (const o in s.uniforms)
        o in this.uniforms_ || (this.uniforms_[o] = s.uniforms[o]);
    }
    this.renderPasses_ = this.styleShaders.map((s) => {
      const o = {}, a = Object.entries(this.customAttributes_).map(
        ([l, h]) => ({
          name: l in s.attributes || l === "hitColor" ? `a_${l}` : null,
          // giving a null name means this is only used for "spacing" in between attributes
          size: h.size || 1,
          type: Ot.FLOAT
        })
      );
      return s.builder.getFillVertexShader() && (o.fillRenderPass = {
        vertexShader: s.builder.getFillVertexShader(),
        fragmentShader: s.builder.getFillFragmentShader(),
        attributesDesc: [
          {
            name: _e.POSITION,
            size: 2,
            type: Ot.FLOAT
          },
          ...a
        ],
        instancedAttributesDesc: [],
        // no instanced rendering for polygons
        instancePrimitiveVertexCount: 3
      }), s.builder.getStrokeVertexShader() && (o.strokeRenderPass = {
        vertexShader: s.builder.getStrokeVertexShader(),
        fragmentShader: s.builder.getStrokeFragmentShader(),
        attributesDesc: [
          {
            name: _e.LOCAL_POSITION,
            size: 2,
            type: Ot.FLOAT
          }
        ],
        instancedAttributesDesc: [
          {
            name: _e.SEGMENT_START,
            size: 2,
            type: Ot.FLOAT
          },
          {
            name: _e.MEASURE_START,
            size: 1,
            type: Ot.FLOAT
          },
          {
            name: _e.SEGMENT_END,
            size: 2,
            type: Ot.FLOAT
          },
          {
            name: _e.MEASURE_END,
            size: 1,
            type: Ot.FLOAT
          },
          {
            name: _e.JOIN_ANGLES,
            size: 2,
            type: Ot.FLOAT
          },
          {
            name: _e.DISTANCE_LOW,
            size: 1,
            type: Ot.FLOAT
          },
          {
            name: _e.DISTANCE_HIGH,
            size: 1,
            type: Ot.FLOAT
          },
          {
            name: _e.ANGLE_TANGENT_SUM,
            size: 1,
            type: Ot.FLOAT
          },
          ...a
        ],
        instancePrimitiveVertexCount: 6
      }), s.builder.getSymbolVertexShader() && (o.symbolRenderPass = {
        vertexShader: s.builder.getSymbolVertexShader(),
        fragmentShader: s.builder.getSymbolFragmentShader(),
        attributesDesc: [
          {
            name: _e.LOCAL_POSITION,
            size: 2,
            type: Ot.FLOAT
          }
        ],
        instancedAttributesDesc: [
          {
            name: _e.POSITION,
            size: 2,
            type: Ot.FLOAT
          },
          ...a
        ],
        instancePrimitiveVertexCount: 6
      }), o;
    }), this.hasFill_ = this.renderPasses_.some((s) => s.fillRenderPass), this.hasStroke_ = this.renderPasses_.some((s) => s.strokeRenderPass), this.hasSymbol_ = this.renderPasses_.some((s) => s.symbolRenderPass), this.setHelper(n);
  }
  /**
   * @param {import('./MixedGeometryBatch.js').default} geometryBatch Geometry batch
   * @param {import("../../transform.js").Transform} transform Transform to apply to coordinates
   * @return {Promise<WebGLBuffers|null>} A promise resolving to WebGL buffers; returns null if buffers are empty
   */
  async generateBuffers(t, e) {
    if (t.isEmpty())
      return null;
    const n = this.generateRenderInstructions_(
      t,
      e
    ), [r, s, o] = await Promise.all(
      [
        this.generateBuffersForType_(
          n.polygonInstructions,
          "Polygon",
          e
        ),
        this.generateBuffersForType_(
          n.lineStringInstructions,
          "LineString",
          e
        ),
        this.generateBuffersForType_(
          n.pointInstructions,
          "Point",
          e
        )
      ]
    ), a = dr(
      wt(),
      e
    );
    return {
      polygonBuffers: r,
      lineStringBuffers: s,
      pointBuffers: o,
      invertVerticesTransform: a
    };
  }
  /**
   * @param {import('./MixedGeometryBatch.js').default} geometryBatch Geometry batch
   * @param {import("../../transform.js").Transform} transform Transform to apply to coordinates
   * @return {RenderInstructions} Render instructions
   * @private
   */
  generateRenderInstructions_(t, e) {
    const n = this.hasFill_ ? ty(
      t.polygonBatch,
      new Float32Array(0),
      this.customAttributes_,
      e
    ) : null, r = this.hasStroke_ ? Q0(
      t.lineStringBatch,
      new Float32Array(0),
      this.customAttributes_,
      e
    ) : null, s = this.hasSymbol_ ? J0(
      t.pointBatch,
      new Float32Array(0),
      this.customAttributes_,
      e
    ) : null;
    return {
      polygonInstructions: n,
      lineStringInstructions: r,
      pointInstructions: s
    };
  }
  /**
   * @param {Float32Array|null} renderInstructions Render instructions
   * @param {import("../../geom/Geometry.js").Type} geometryType Geometry type
   * @param {import("../../transform.js").Transform} transform Transform to apply to coordinates
   * @return {Promise<WebGLArrayBufferSet>|null} Indices buffer and vertices buffer; null if nothing to render
   * @private
   */
  generateBuffersForType_(t, e, n) {
    if (t === null)
      return null;
    const r = _y++;
    let s;
    switch (e) {
      case "Polygon":
        s = Do.GENERATE_POLYGON_BUFFERS;
        break;
      case "LineString":
        s = Do.GENERATE_LINE_STRING_BUFFERS;
        break;
      case "Point":
        s = Do.GENERATE_POINT_BUFFERS;
        break;
    }
    const o = {
      id: r,
      type: s,
      renderInstructions: t.buffer,
      renderInstructionsTransform: n,
      customAttributesSize: Js(this.customAttributes_)
    }, a = fy();
    return a.postMessage(o, [t.buffer]), t = null, new Promise((l) => {
      const h = (c) => {
        const u = c.data;
        if (u.id !== r || (a.removeEventListener("message", h), !this.helper_.getGL()))
          return;
        const d = new Lo(
          pl,
          Mo
        ).fromArrayBuffer(u.indicesBuffer), g = new Lo(
          Ps,
          Mo
        ).fromArrayBuffer(u.vertexAttributesBuffer), f = new Lo(
          Ps,
          Mo
        ).fromArrayBuffer(u.instanceAttributesBuffer);
        this.helper_.flushBufferData(d), this.helper_.flushBufferData(g), this.helper_.flushBufferData(f), l([
          d,
          g,
          f
        ]);
      };
      a.addEventListener("message", h);
    });
  }
  /**
   * Render the geometries in the given buffers.
   * @param {WebGLBuffers} buffers WebGL Buffers to draw
   * @param {import("../../Map.js").FrameState} frameState Frame state
   * @param {function(): void} preRenderCallback This callback will be called right before drawing, and can be used to set uniforms
   */
  render(t, e, n) {
    for (const r of this.renderPasses_)
      r.fillRenderPass && this.renderInternal_(
        t.polygonBuffers[0],
        t.polygonBuffers[1],
        t.polygonBuffers[2],
        r.fillRenderPass,
        e,
        n
      ), r.strokeRenderPass && this.renderInternal_(
        t.lineStringBuffers[0],
        t.lineStringBuffers[1],
        t.lineStringBuffers[2],
        r.strokeRenderPass,
        e,
        n
      ), r.symbolRenderPass && this.renderInternal_(
        t.pointBuffers[0],
        t.pointBuffers[1],
        t.pointBuffers[2],
        r.symbolRenderPass,
        e,
        n
      );
  }
  /**
   * @param {WebGLArrayBuffer} indicesBuffer Indices buffer
   * @param {WebGLArrayBuffer} vertexAttributesBuffer Vertex attributes buffer
   * @param {WebGLArrayBuffer} instanceAttributesBuffer Instance attributes buffer
   * @param {SubRenderPass} subRenderPass Render pass (program, attributes, etc.) specific to one geometry type
   * @param {import("../../Map.js").FrameState} frameState Frame state.
   * @param {function(): void} preRenderCallback This callback will be called right before drawing, and can be used to set uniforms
   * @private
   */
  renderInternal_(t, e, n, r, s, o) {
    const a = t.getSize();
    if (a === 0)
      return;
    const l = r.instancedAttributesDesc.length;
    if (this.helper_.useProgram(r.program, s), this.helper_.bindBuffer(e), this.helper_.bindBuffer(t), this.helper_.enableAttributes(r.attributesDesc), this.helper_.bindBuffer(n), this.helper_.enableAttributesInstanced(
      r.instancedAttributesDesc
    ), o(), l) {
      const h = r.instancedAttributesDesc.reduce(
        (u, d) => u + (d.size || 1),
        0
      ), c = n.getSize() / h;
      this.helper_.drawElementsInstanced(0, a, c);
    } else
      this.helper_.drawElements(0, a);
  }
  /**
   * @param {import('../../webgl/Helper.js').default} helper Helper
   * @param {WebGLBuffers} buffers WebGL Buffers to reload if any
   */
  setHelper(t, e = null) {
    this.helper_ = t;
    for (const n of this.renderPasses_)
      n.fillRenderPass && (n.fillRenderPass.program = this.helper_.getProgram(
        n.fillRenderPass.fragmentShader,
        n.fillRenderPass.vertexShader
      )), n.strokeRenderPass && (n.strokeRenderPass.program = this.helper_.getProgram(
        n.strokeRenderPass.fragmentShader,
        n.strokeRenderPass.vertexShader
      )), n.symbolRenderPass && (n.symbolRenderPass.program = this.helper_.getProgram(
        n.symbolRenderPass.fragmentShader,
        n.symbolRenderPass.vertexShader
      ));
    this.helper_.addUniforms(this.uniforms_), e && (e.polygonBuffers && (this.helper_.flushBufferData(e.polygonBuffers[0]), this.helper_.flushBufferData(e.polygonBuffers[1]), this.helper_.flushBufferData(e.polygonBuffers[2])), e.lineStringBuffers && (this.helper_.flushBufferData(e.lineStringBuffers[0]), this.helper_.flushBufferData(e.lineStringBuffers[1]), this.helper_.flushBufferData(e.lineStringBuffers[2])), e.pointBuffers && (this.helper_.flushBufferData(e.pointBuffers[0]), this.helper_.flushBufferData(e.pointBuffers[1]), this.helper_.flushBufferData(e.pointBuffers[2])));
  }
}
function my(i, t) {
  const e = Array.isArray(i) ? i : [i];
  if ("style" in e[0]) {
    const n = [], r = (
      /** @type {Array<FlatStyleRule>} */
      e
    ), s = [];
    for (const o of r) {
      const a = Array.isArray(o.style) ? o.style : [o.style];
      let l = o.filter;
      o.else && s.length && (l = [
        "all",
        ...s.map((c) => ["!", c])
      ], o.filter && l.push(o.filter), l.length < 3 && (l = l[1])), o.filter && s.push(o.filter);
      const h = a.map(
        (c) => Hh(c, t, l)
      );
      n.push(...h);
    }
    return n;
  }
  return "builder" in e[0] ? (
    /** @type {Array<StyleShaders>} */
    e
  ) : (
    /** @type {Array<FlatStyle>} */
    e.map(
      (n) => Hh(n, t, null)
    )
  );
}
const Me = new Uint8Array(4);
class yy {
  /**
   * @param {import("./Helper.js").default} helper WebGL helper; mandatory.
   * @param {Array<number>} [size] Expected size of the render target texture; note: this can be changed later on.
   */
  constructor(t, e) {
    this.helper_ = t;
    const n = t.getGL();
    this.texture_ = n.createTexture(), this.framebuffer_ = n.createFramebuffer(), this.depthbuffer_ = n.createRenderbuffer(), this.size_ = e || [1, 1], this.data_ = new Uint8Array(0), this.dataCacheDirty_ = !0, this.updateSize_();
  }
  /**
   * Changes the size of the render target texture. Note: will do nothing if the size
   * is already the same.
   * @param {Array<number>} size Expected size of the render target texture
   */
  setSize(t) {
    ze(t, this.size_) || (this.size_[0] = t[0], this.size_[1] = t[1], this.updateSize_());
  }
  /**
   * Returns the size of the render target texture
   * @return {Array<number>} Size of the render target texture
   */
  getSize() {
    return this.size_;
  }
  /**
   * This will cause following calls to `#readAll` or `#readPixel` to download the content of the
   * render target into memory, which is an expensive operation.
   * This content will be kept in cache but should be cleared after each new render.
   */
  clearCachedData() {
    this.dataCacheDirty_ = !0;
  }
  /**
   * Returns the full content of the frame buffer as a series of r, g, b, a components
   * in the 0-255 range (unsigned byte).
   * @return {Uint8Array} Integer array of color values
   */
  readAll() {
    if (this.dataCacheDirty_) {
      const t = this.size_, e = this.helper_.getGL();
      e.bindFramebuffer(e.FRAMEBUFFER, this.framebuffer_), e.readPixels(
        0,
        0,
        t[0],
        t[1],
        e.RGBA,
        e.UNSIGNED_BYTE,
        this.data_
      ), this.dataCacheDirty_ = !1;
    }
    return this.data_;
  }
  /**
   * Reads one pixel of the frame buffer as an array of r, g, b, a components
   * in the 0-255 range (unsigned byte).
   * If x and/or y are outside of existing data, an array filled with 0 is returned.
   * @param {number} x Pixel coordinate
   * @param {number} y Pixel coordinate
   * @return {Uint8Array} Integer array with one color value (4 components)
   */
  readPixel(t, e) {
    if (t < 0 || e < 0 || t > this.size_[0] || e >= this.size_[1])
      return Me[0] = 0, Me[1] = 0, Me[2] = 0, Me[3] = 0, Me;
    this.readAll();
    const n = Math.floor(t) + (this.size_[1] - Math.floor(e) - 1) * this.size_[0];
    return Me[0] = this.data_[n * 4], Me[1] = this.data_[n * 4 + 1], Me[2] = this.data_[n * 4 + 2], Me[3] = this.data_[n * 4 + 3], Me;
  }
  /**
   * @return {WebGLTexture} Texture to render to
   */
  getTexture() {
    return this.texture_;
  }
  /**
   * @return {WebGLFramebuffer} Frame buffer of the render target
   */
  getFramebuffer() {
    return this.framebuffer_;
  }
  /**
   * @return {WebGLRenderbuffer} Depth buffer of the render target
   */
  getDepthbuffer() {
    return this.depthbuffer_;
  }
  /**
   * @private
   */
  updateSize_() {
    const t = this.size_, e = this.helper_.getGL();
    this.texture_ = this.helper_.createTexture(t, null, this.texture_), e.bindFramebuffer(e.FRAMEBUFFER, this.framebuffer_), e.viewport(0, 0, t[0], t[1]), e.framebufferTexture2D(
      e.FRAMEBUFFER,
      e.COLOR_ATTACHMENT0,
      e.TEXTURE_2D,
      this.texture_,
      0
    ), e.bindRenderbuffer(e.RENDERBUFFER, this.depthbuffer_), e.renderbufferStorage(
      e.RENDERBUFFER,
      e.DEPTH_COMPONENT16,
      t[0],
      t[1]
    ), e.framebufferRenderbuffer(
      e.FRAMEBUFFER,
      e.DEPTH_ATTACHMENT,
      e.RENDERBUFFER,
      this.depthbuffer_
    ), this.data_ = new Uint8Array(t[0] * t[1] * 4);
  }
}
function xy(i, t) {
  const e = i.viewState.projection, n = t.getSource().getWrapX() && e.canWrapX(), r = e.getExtent(), s = i.extent, o = n ? at(r) : null, a = n ? Math.ceil((s[2] - r[2]) / o) + 1 : 1;
  return [n ? Math.floor((s[0] - r[0]) / o) : 0, a, o];
}
const hi = {
  ...Ze,
  RENDER_EXTENT: "u_renderExtent",
  // intersection of layer, source, and view extent
  PATTERN_ORIGIN: "u_patternOrigin",
  GLOBAL_ALPHA: "u_globalAlpha"
};
class vy extends ml {
  /**
   * @param {import("../../layer/Layer.js").default} layer Layer.
   * @param {Options} options Options.
   */
  constructor(t, e) {
    const n = {
      [hi.RENDER_EXTENT]: [0, 0, 0, 0],
      [hi.PATTERN_ORIGIN]: [0, 0],
      [hi.GLOBAL_ALPHA]: 1
    };
    super(t, {
      uniforms: n,
      postProcesses: e.postProcesses
    }), this.hitDetectionEnabled_ = !e.disableHitDetection, this.hitRenderTarget_, this.sourceRevision_ = -1, this.previousExtent_ = ce(), this.currentTransform_ = wt(), this.tmpCoords_ = [0, 0], this.tmpTransform_ = wt(), this.tmpMat4_ = Ou(), this.currentFrameStateTransform_ = wt(), this.styleVariables_ = {}, this.style_ = [], this.styleRenderer_ = null, this.buffers_ = null, this.applyOptions_(e), this.batch_ = new bs(), this.initialFeaturesAdded_ = !1, this.sourceListenKeys_ = null;
  }
  /**
   * @private
   * @param {import("../../Map.js").FrameState} frameState Frame state.
   */
  addInitialFeatures_(t) {
    const e = this.getLayer().getSource();
    let n;
    this.batch_.addFeatures(e.getFeatures(), n), this.sourceListenKeys_ = [
      tt(
        e,
        Pt.ADDFEATURE,
        this.handleSourceFeatureAdded_.bind(this, n)
      ),
      tt(
        e,
        Pt.CHANGEFEATURE,
        this.handleSourceFeatureChanged_.bind(this, n),
        this
      ),
      tt(
        e,
        Pt.REMOVEFEATURE,
        this.handleSourceFeatureDelete_,
        this
      ),
      tt(
        e,
        Pt.CLEAR,
        this.handleSourceFeatureClear_,
        this
      )
    ];
  }
  /**
   * @param {Options} options Options.
   * @private
   */
  applyOptions_(t) {
    this.styleVariables_ = t.variables, this.style_ = t.style;
  }
  /**
   * @private
   */
  createRenderers_() {
    this.buffers_ = null, this.styleRenderer_ = new py(
      this.style_,
      this.styleVariables_,
      this.helper,
      this.hitDetectionEnabled_
    );
  }
  /**
   * @override
   */
  reset(t) {
    this.applyOptions_(t), this.helper && this.createRenderers_(), super.reset(t);
  }
  /**
   * @override
   */
  afterHelperCreated() {
    this.styleRenderer_ ? this.styleRenderer_.setHelper(this.helper, this.buffers_) : this.createRenderers_(), this.hitDetectionEnabled_ && (this.hitRenderTarget_ = new yy(this.helper));
  }
  /**
   * @param {import("../../proj.js").TransformFunction} projectionTransform Transform function.
   * @param {import("../../source/Vector.js").VectorSourceEvent} event Event.
   * @private
   */
  handleSourceFeatureAdded_(t, e) {
    const n = e.feature;
    this.batch_.addFeature(n, t);
  }
  /**
   * @param {import("../../proj.js").TransformFunction} projectionTransform Transform function.
   * @param {import("../../source/Vector.js").VectorSourceEvent} event Event.
   * @private
   */
  handleSourceFeatureChanged_(t, e) {
    const n = e.feature;
    this.batch_.changeFeature(n, t);
  }
  /**
   * @param {import("../../source/Vector.js").VectorSourceEvent} event Event.
   * @private
   */
  handleSourceFeatureDelete_(t) {
    const e = t.feature;
    this.batch_.removeFeature(e);
  }
  /**
   * @private
   */
  handleSourceFeatureClear_() {
    this.batch_.clear();
  }
  /**
   * @param {import("../../transform.js").Transform} batchInvertTransform Inverse of the transformation in which geometries are expressed
   * @private
   */
  applyUniforms_(t) {
    Ec(this.tmpTransform_, this.currentFrameStateTransform_), vc(this.tmpTransform_, t), this.helper.setUniformMatrixValue(
      hi.PROJECTION_MATRIX,
      ga(this.tmpMat4_, this.tmpTransform_)
    ), dr(this.tmpTransform_, this.tmpTransform_), this.helper.setUniformMatrixValue(
      hi.SCREEN_TO_WORLD_MATRIX,
      ga(this.tmpMat4_, this.tmpTransform_)
    ), this.tmpCoords_[0] = 0, this.tmpCoords_[1] = 0, dr(this.tmpTransform_, t), mt(this.tmpTransform_, this.tmpCoords_), this.helper.setUniformFloatVec2(hi.PATTERN_ORIGIN, this.tmpCoords_);
  }
  /**
   * Render the layer.
   * @param {import("../../Map.js").FrameState} frameState Frame state.
   * @return {HTMLElement} The rendered element.
   * @override
   */
  renderFrame(t) {
    const e = this.helper.getGL();
    this.preRender(e, t);
    const [n, r, s] = xy(
      t,
      this.getLayer()
    );
    this.helper.prepareDraw(t), this.renderWorlds(t, !1, n, r, s), this.helper.finalizeDraw(
      t,
      this.dispatchPreComposeEvent,
      this.dispatchPostComposeEvent
    );
    const o = this.helper.getCanvas();
    return this.hitDetectionEnabled_ && (this.renderWorlds(t, !0, n, r, s), this.hitRenderTarget_.clearCachedData()), this.postRender(e, t), o;
  }
  /**
   * Determine whether renderFrame should be called.
   * @param {import("../../Map.js").FrameState} frameState Frame state.
   * @return {boolean} Layer is ready to be rendered.
   * @override
   */
  prepareFrameInternal(t) {
    this.initialFeaturesAdded_ || (this.addInitialFeatures_(t), this.initialFeaturesAdded_ = !0);
    const e = this.getLayer(), n = e.getSource(), r = t.viewState, s = !t.viewHints[It.ANIMATING] && !t.viewHints[It.INTERACTING], o = !wi(this.previousExtent_, t.extent), a = this.sourceRevision_ < n.getRevision();
    if (a && (this.sourceRevision_ = n.getRevision()), s && (o || a)) {
      const l = r.projection, h = r.resolution, c = e instanceof nl ? e.getRenderBuffer() : 0, u = br(t.extent, c * h);
      n.loadFeatures(u, h, l), this.ready = !1;
      const d = this.helper.makeProjectionTransform(
        t,
        wt()
      );
      this.styleRenderer_.generateBuffers(this.batch_, d).then((g) => {
        this.buffers_ && this.disposeBuffers(this.buffers_), this.buffers_ = g, this.ready = !0, this.getLayer().changed();
      }), this.previousExtent_ = t.extent.slice();
    }
    return !0;
  }
  /**
   * Render the world, either to the main framebuffer or to the hit framebuffer
   * @param {import("../../Map.js").FrameState} frameState current frame state
   * @param {boolean} forHitDetection whether the rendering is for hit detection
   * @param {number} startWorld the world to render in the first iteration
   * @param {number} endWorld the last world to render
   * @param {number} worldWidth the width of the worlds being rendered
   */
  renderWorlds(t, e, n, r, s) {
    let o = n;
    e && (this.hitRenderTarget_.setSize([
      Math.floor(t.size[0] / 2),
      Math.floor(t.size[1] / 2)
    ]), this.helper.prepareDrawToRenderTarget(
      t,
      this.hitRenderTarget_,
      !0
    ));
    do
      this.helper.makeProjectionTransform(
        t,
        this.currentFrameStateTransform_
      ), Dg(
        this.currentFrameStateTransform_,
        o * s,
        0
      ), this.buffers_ && this.styleRenderer_.render(this.buffers_, t, () => {
        this.applyUniforms_(this.buffers_.invertVerticesTransform), this.helper.applyHitDetectionUniform(e);
      });
    while (++o < r);
  }
  /**
   * @param {import("../../coordinate.js").Coordinate} coordinate Coordinate.
   * @param {import("../../Map.js").FrameState} frameState Frame state.
   * @param {number} hitTolerance Hit tolerance in pixels.
   * @param {import("../vector.js").FeatureCallback<T>} callback Feature callback.
   * @param {Array<import("../Map.js").HitMatch<T>>} matches The hit detected matches with tolerance.
   * @return {T|undefined} Callback result.
   * @template T
   * @override
   */
  forEachFeatureAtCoordinate(t, e, n, r, s) {
    if (nt(
      this.hitDetectionEnabled_,
      "`forEachFeatureAtCoordinate` cannot be used on a WebGL layer if the hit detection logic has been disabled using the `disableHitDetection: true` option."
    ), !this.styleRenderer_ || !this.hitDetectionEnabled_)
      return;
    const o = mt(
      e.coordinateToPixelTransform,
      t.slice()
    ), a = this.hitRenderTarget_.readPixel(o[0] / 2, o[1] / 2), l = [a[0] / 255, a[1] / 255, a[2] / 255, a[3] / 255], h = I0(l), c = this.batch_.getFeatureFromRef(h);
    if (c)
      return r(c, this.getLayer(), null);
  }
  /**
   * Will release a set of Webgl buffers
   * @param {import('../../render/webgl/VectorStyleRenderer.js').WebGLBuffers} buffers Buffers
   */
  disposeBuffers(t) {
    const e = (n) => {
      for (const r of n)
        r && this.helper.deleteBuffer(r);
    };
    t.pointBuffers && e(t.pointBuffers), t.lineStringBuffers && e(t.lineStringBuffers), t.polygonBuffers && e(t.polygonBuffers);
  }
  /**
   * Clean up.
   * @override
   */
  disposeInternal() {
    this.buffers_ && this.disposeBuffers(this.buffers_), this.sourceListenKeys_ && (this.sourceListenKeys_.forEach(function(t) {
      ht(t);
    }), this.sourceListenKeys_ = null), super.disposeInternal();
  }
  renderDeclutter() {
  }
}
class ma extends Gr {
  /**
   * @param {Options<VectorSourceType, FeatureType>} [options] Options.
   */
  constructor(t) {
    const e = Object.assign({}, t);
    super(e), this.styleVariables_ = t.variables || {}, this.style_ = t.style, this.hitDetectionDisabled_ = !!t.disableHitDetection;
  }
  /**
   * @override
   */
  createRenderer() {
    return new vy(this, {
      style: this.style_,
      variables: this.styleVariables_,
      disableHitDetection: this.hitDetectionDisabled_
    });
  }
  /**
   * Update any variables used by the layer style and trigger a re-render.
   * @param {import('../style/flat.js').StyleVariables} variables Variables to update.
   */
  updateStyleVariables(t) {
    Object.assign(this.styleVariables_, t), this.changed();
  }
  /**
   * Set the layer style.
   * @param {import('../style/flat.js').FlatStyleLike} style Layer style.
   */
  setStyle(t) {
    this.style_ = t, this.clearRenderer(), this.changed();
  }
}
const hs = 20, qh = 15;
function Ey(i, t, e) {
  const n = ae(), r = ae(), s = ae(), o = ae(), a = ae([]), l = (A) => i.getFeaturesAtPixel(A, {
    layerFilter: (P) => P instanceof Ks,
    hitTolerance: qh
  }), h = (A, P) => {
    "IntersectionObserver" in window && (n.value = new IntersectionObserver(
      ([R]) => {
        R?.isIntersecting || P();
      },
      { root: null, threshold: 0 }
    ), n.value.observe(A));
  }, c = () => {
    _(!1), v(), b(), w();
  }, u = (A) => i.getTargetElement().style.cursor = A, d = (A) => {
    if (A.dragging || !i)
      return;
    const P = i.hasFeatureAtPixel(A.pixel, {
      layerFilter: (R) => R instanceof ma
    });
    u(P ? "pointer" : "default");
  }, g = (A, P) => {
    const R = i.getFeaturesAtPixel(A.pixel, {
      layerFilter: (O) => O instanceof ma
    }), F = R?.length ? R[0] : void 0;
    P && P(F);
  }, f = (A, P) => P != null ? A.get(Je) !== P : !A.get(wr), p = (A, P) => {
    const R = l(A.pixel), F = R?.find((D) => {
      const U = D.getGeometry();
      return U instanceof ie || U instanceof jt;
    });
    if (!F) {
      P?.(void 0, void 0);
      return;
    }
    const O = R.find((D) => D.getGeometry() instanceof Ht), B = Ae(F.getGeometry()).length === 1 ? 0 : Dm(F, O);
    f(F, B) ? P?.(F, B) : P?.(void 0, void 0);
  }, _ = (A, P) => {
    if (!P)
      return;
    const R = (F) => {
      if (t.canLoadMultiFeatures) {
        g(F, P);
        return;
      }
      if (t.canSelectFeatureOrVertex) {
        p(F, P);
        return;
      }
    };
    i.un("click", R), i.un("pointermove", d), A && (i.on("click", R), i.on("pointermove", d));
  }, y = (A, P, R) => e === xt.SHAPE ? Lm(P, A, R, hs) : e === xt.TRACE ? Mm(P, A, R, hs) : new ne({ geometry: new Ht(A) }), x = (A) => A.preventDefault(), E = (A, P) => {
    if (r.value)
      return;
    const R = (F) => {
      if (F.dragging)
        return;
      const O = F.coordinate, B = i.getView().getResolution() ?? 1, D = l(F.pixel).find((q) => A.hasFeature(q));
      if (D && (Fm(D, O, B, hs) || !Im(D, O, B, hs)))
        return;
      const U = A.getFeatures()?.[0];
      L(U ?? null);
      const V = y(O, B, U);
      e === xt.POINT && !A.isEmpty() && A.clear(!0), A.isEmpty() && A.addFeature(V), P(V);
    };
    r.value = R, i.on("click", R), i.getViewport().addEventListener("contextmenu", x);
  }, v = () => {
    r.value && (i.un("click", r.value), r.value = void 0, u("default"));
  }, m = (A, P) => {
    u("default");
    const R = A.getArray()?.[0];
    R && P(R);
  }, C = (A, P) => {
    s.value || (s.value = new g0({ layers: [A] }), s.value.on("translating", () => u("grab")), s.value.on("translateend", (R) => m(R.features, P)), i.addInteraction(s.value));
  }, T = (A, P) => {
    o.value || (o.value = new c0({
      source: A,
      style: ym(),
      pixelTolerance: qh,
      insertVertexCondition: (R) => R.type === "pointermove",
      wrapX: !1
    }), o.value.on("modifystart", () => {
      u("grab"), L(A.getFeatures()?.[0] ?? null);
    }), o.value.on("modifyend", (R) => m(R.features, P)), i.addInteraction(o.value));
  }, w = () => {
    o.value && (i.removeInteraction(o.value), o.value = void 0);
  }, b = () => {
    s.value && (i.removeInteraction(s.value), s.value = void 0);
  }, L = (A) => {
    if (!t.canUndoLastChange)
      return;
    const P = A?.clone() ?? null;
    P && (P.unset(Je), P.unset(wr)), a.value = [...a.value, P];
  };
  return {
    hasUndoHistory: () => a.value.length > 0,
    popUndoState: () => {
      if (!a.value.length)
        return;
      const A = [...a.value], P = A.pop();
      return a.value = A, P;
    },
    removeMapInteractions: c,
    pushUndoState: L,
    setupFeatureDrag: C,
    setupTapToAddVertex: E,
    setupMapVisibilityObserver: h,
    setupVertexDrag: T,
    teardownMap: () => {
      n.value?.disconnect(), n.value = void 0, a.value = [], c(), i.getViewport().removeEventListener("contextmenu", x);
    },
    toggleSelectEvent: _
  };
}
function zo(i, t, e) {
  if (!(e in i))
    return i[e] = /* @__PURE__ */ new Set([t]), !0;
  const n = i[e], r = n.has(t);
  return r || n.add(t), !r;
}
function Sy(i, t, e) {
  const n = i[e];
  return n ? n.delete(t) : !1;
}
function Jh(i, t) {
  const e = i.layerStatesArray[i.layerIndex];
  e.extent && (t = kn(
    t,
    Qe(e.extent, i.viewState.projection)
  ));
  const n = (
    /** @type {import("../../source/Tile.js").default} */
    e.layer.getRenderSource()
  );
  if (!n.getWrapX()) {
    const r = n.getTileGridForProjection(i.viewState.projection).getExtent();
    r && (t = kn(t, r));
  }
  return t;
}
class Cy extends nu {
  /**
   * @param {LayerType} tileLayer Tile layer.
   * @param {Options} [options] Options.
   */
  constructor(t, e) {
    super(t), e = e || {}, this.extentChanged = !0, this.renderComplete = !1, this.renderedExtent_ = null, this.renderedPixelRatio, this.renderedProjection = null, this.renderedTiles = [], this.renderedSourceKey_, this.renderedSourceRevision_, this.tempExtent = ce(), this.tempTileRange_ = new al(0, 0, 0, 0), this.tempTileCoord_ = Fs(0, 0, 0);
    const n = e.cacheSize !== void 0 ? e.cacheSize : 512;
    this.tileCache_ = new Zh(n), this.sourceTileCache_ = null, this.maxStaleKeys = n * 0.5;
  }
  /**
   * @return {LRUCache} Tile cache.
   */
  getTileCache() {
    return this.tileCache_;
  }
  /**
   * @return {LRUCache} Tile cache.
   */
  getSourceTileCache() {
    return this.sourceTileCache_ || (this.sourceTileCache_ = new Zh(512)), this.sourceTileCache_;
  }
  /**
   * Get a tile from the cache or create one if needed.
   *
   * @param {number} z Tile coordinate z.
   * @param {number} x Tile coordinate x.
   * @param {number} y Tile coordinate y.
   * @param {import("../../Map.js").FrameState} frameState Frame state.
   * @return {import("../../Tile.js").default|null} Tile (or null if outside source extent).
   * @protected
   */
  getOrCreateTile(t, e, n, r) {
    const s = this.tileCache_, o = this.getLayer().getSource(), a = ds(o, o.getKey(), t, e, n);
    let l;
    if (s.containsKey(a))
      l = s.get(a);
    else {
      const h = r.viewState.projection, c = o.getProjection();
      if (l = o.getTile(
        t,
        e,
        n,
        r.pixelRatio,
        h,
        !c || er(c, h) ? void 0 : this.getSourceTileCache()
      ), !l)
        return null;
      s.set(a, l);
    }
    return l;
  }
  /**
   * @param {number} z Tile coordinate z.
   * @param {number} x Tile coordinate x.
   * @param {number} y Tile coordinate y.
   * @param {import("../../Map.js").FrameState} frameState Frame state.
   * @return {import("../../Tile.js").default|null} Tile (or null if outside source extent).
   * @protected
   */
  getTile(t, e, n, r) {
    return this.getOrCreateTile(t, e, n, r) || null;
  }
  /**
   * @param {import("../../pixel.js").Pixel} pixel Pixel.
   * @return {Uint8ClampedArray} Data at the pixel location.
   * @override
   */
  getData(t) {
    const e = this.frameState;
    if (!e)
      return null;
    const n = this.getLayer(), r = mt(
      e.pixelToCoordinateTransform,
      t.slice()
    ), s = n.getExtent();
    if (s && !Ti(s, r))
      return null;
    const o = e.viewState, a = n.getRenderSource(), l = a.getTileGridForProjection(o.projection), h = a.getTilePixelRatio(e.pixelRatio);
    for (let c = l.getZForResolution(o.resolution); c >= l.getMinZoom(); --c) {
      const u = l.getTileCoordForCoordAndZ(r, c), d = this.getTile(c, u[1], u[2], e);
      if (!d || d.getState() !== j.LOADED)
        continue;
      const g = l.getOrigin(c), f = Kt(l.getTileSize(c)), p = l.getResolution(c);
      let _;
      if (d instanceof uu || d instanceof Nu)
        _ = d.getImage();
      else if (d instanceof Vh) {
        if (_ = fa(d.getData()), !_)
          continue;
      } else
        continue;
      const y = Math.floor(
        h * ((r[0] - g[0]) / p - u[1] * f[0])
      ), x = Math.floor(
        h * ((g[1] - r[1]) / p - u[2] * f[1])
      ), E = Math.round(
        h * a.getGutterForProjection(o.projection)
      );
      return this.getImageData(_, y + E, x + E);
    }
    return null;
  }
  /**
   * Determine whether render should be called.
   * @param {import("../../Map.js").FrameState} frameState Frame state.
   * @return {boolean} Layer is ready to be rendered.
   * @override
   */
  prepareFrame(t) {
    this.renderedProjection ? t.viewState.projection !== this.renderedProjection && (this.tileCache_.clear(), this.renderedProjection = t.viewState.projection) : this.renderedProjection = t.viewState.projection;
    const e = this.getLayer().getSource();
    if (!e)
      return !1;
    const n = e.getRevision();
    return this.renderedSourceRevision_ ? this.renderedSourceRevision_ !== n && (this.renderedSourceRevision_ = n, this.renderedSourceKey_ === e.getKey() && (this.tileCache_.clear(), this.sourceTileCache_?.clear())) : this.renderedSourceRevision_ = n, !0;
  }
  /**
   * Determine whether tiles for next extent should be enqueued for rendering.
   * @return {boolean} Rendering tiles for next extent is supported.
   * @protected
   */
  enqueueTilesForNextExtent() {
    return !0;
  }
  /**
   * @param {import("../../Map.js").FrameState} frameState Frame state.
   * @param {import("../../extent.js").Extent} extent The extent to be rendered.
   * @param {number} initialZ The zoom level.
   * @param {TileLookup} tilesByZ Lookup of tiles by zoom level.
   * @param {number} preload Number of additional levels to load.
   */
  enqueueTiles(t, e, n, r, s) {
    const o = t.viewState, a = this.getLayer(), l = a.getRenderSource(), h = l.getTileGridForProjection(o.projection), c = z(l);
    c in t.wantedTiles || (t.wantedTiles[c] = {});
    const u = t.wantedTiles[c], d = a.getMapInternal(), g = Math.max(
      n - s,
      h.getMinZoom(),
      h.getZForResolution(
        Math.min(
          a.getMaxResolution(),
          d ? d.getView().getResolutionForZoom(Math.max(a.getMinZoom(), 0)) : h.getResolution(0)
        ),
        l.zDirection
      )
    ), f = o.rotation, p = f ? hc(
      o.center,
      o.resolution,
      f,
      t.size
    ) : void 0;
    for (let _ = n; _ >= g; --_) {
      const y = h.getTileRangeForExtentAndZ(
        e,
        _,
        this.tempTileRange_
      ), x = h.getResolution(_);
      for (let E = y.minX; E <= y.maxX; ++E)
        for (let v = y.minY; v <= y.maxY; ++v) {
          if (f && !h.tileCoordIntersectsViewport([_, E, v], p))
            continue;
          const m = this.getTile(_, E, v, t);
          if (!m || !zo(r, m, _))
            continue;
          const C = m.getKey();
          if (u[C] = !0, m.getState() === j.IDLE && !t.tileQueue.isKeyQueued(C)) {
            const T = Fs(_, E, v, this.tempTileCoord_);
            t.tileQueue.enqueue([
              m,
              c,
              h.getTileCoordCenter(T),
              x
            ]);
          }
        }
    }
  }
  /**
   * Look for tiles covering the provided tile coordinate at an alternate
   * zoom level.  Loaded tiles will be added to the provided tile texture lookup.
   * @param {import("../../tilecoord.js").TileCoord} tileCoord The target tile coordinate.
   * @param {TileLookup} tilesByZ Lookup of tiles by zoom level.
   * @return {boolean} The tile coordinate is covered by loaded tiles at the alternate zoom level.
   * @private
   */
  findStaleTile_(t, e) {
    const n = this.tileCache_, r = t[0], s = t[1], o = t[2], a = this.getStaleKeys();
    for (let l = 0; l < a.length; ++l) {
      const h = ds(
        this.getLayer().getSource(),
        a[l],
        r,
        s,
        o
      );
      if (n.containsKey(h)) {
        const c = n.peek(h);
        if (c.getState() === j.LOADED)
          return c.endTransition(z(this)), zo(e, c, r), !0;
      }
    }
    return !1;
  }
  /**
   * Look for tiles covering the provided tile coordinate at an alternate
   * zoom level.  Loaded tiles will be added to the provided tile texture lookup.
   * @param {import("../../tilegrid/TileGrid.js").default} tileGrid The tile grid.
   * @param {import("../../tilecoord.js").TileCoord} tileCoord The target tile coordinate.
   * @param {number} altZ The alternate zoom level.
   * @param {TileLookup} tilesByZ Lookup of tiles by zoom level.
   * @return {boolean} The tile coordinate is covered by loaded tiles at the alternate zoom level.
   * @private
   */
  findAltTiles_(t, e, n, r) {
    const s = t.getTileRangeForTileCoordAndZ(
      e,
      n,
      this.tempTileRange_
    );
    if (!s)
      return !1;
    let o = !0;
    const a = this.tileCache_, l = this.getLayer().getRenderSource(), h = l.getKey();
    for (let c = s.minX; c <= s.maxX; ++c)
      for (let u = s.minY; u <= s.maxY; ++u) {
        const d = ds(l, h, n, c, u);
        let g = !1;
        if (a.containsKey(d)) {
          const f = a.peek(d);
          f.getState() === j.LOADED && (zo(r, f, n), g = !0);
        }
        g || (o = !1);
      }
    return o;
  }
  /**
   * Render the layer.
   *
   * The frame rendering logic has three parts:
   *
   *  1. Enqueue tiles
   *  2. Find alt tiles for those that are not yet loaded
   *  3. Render loaded tiles
   *
   * @param {import("../../Map.js").FrameState} frameState Frame state.
   * @param {HTMLElement} target Target that may be used to render content to.
   * @return {HTMLElement} The rendered element.
   * @override
   */
  renderFrame(t, e) {
    this.renderComplete = !0;
    const n = t.layerStatesArray[t.layerIndex], r = t.viewState, s = r.projection, o = r.resolution, a = r.center, l = t.pixelRatio, h = this.getLayer(), c = h.getSource(), u = c.getTileGridForProjection(s), d = u.getZForResolution(o, c.zDirection), g = u.getResolution(d), f = c.getKey();
    this.renderedSourceKey_ ? this.renderedSourceKey_ !== f && (this.prependStaleKey(this.renderedSourceKey_), this.renderedSourceKey_ = f) : this.renderedSourceKey_ = f;
    let p = t.extent;
    const _ = c.getTilePixelRatio(l);
    this.prepareContainer(t, e);
    const y = this.context.canvas.width, x = this.context.canvas.height, E = n.extent && Qe(n.extent);
    E && (p = kn(
      p,
      Qe(n.extent)
    ));
    const v = g * y / 2 / _, m = g * x / 2 / _, C = [
      a[0] - v,
      a[1] - m,
      a[0] + v,
      a[1] + m
    ], T = {};
    this.renderedTiles.length = 0;
    const w = h.getPreload();
    if (t.nextExtent && this.enqueueTilesForNextExtent()) {
      const U = u.getZForResolution(
        r.nextResolution,
        c.zDirection
      ), V = Jh(t, t.nextExtent);
      this.enqueueTiles(t, V, U, T, w);
    }
    const b = Jh(t, p);
    if (this.enqueueTiles(t, b, d, T, 0), w > 0 && setTimeout(() => {
      this.enqueueTiles(
        t,
        b,
        d - 1,
        T,
        w - 1
      );
    }, 0), !(d in T))
      return this.container;
    const L = z(this), A = t.time;
    for (const U of T[d]) {
      const V = U.getState();
      if (V === j.EMPTY)
        continue;
      const q = U.tileCoord;
      if (V === j.LOADED && U.getAlpha(L, A) === 1) {
        U.endTransition(L);
        continue;
      }
      if (V !== j.ERROR && (this.renderComplete = !1), this.findStaleTile_(q, T)) {
        Sy(T, U, d), t.animate = !0;
        continue;
      }
      if (this.findAltTiles_(
        u,
        q,
        d + 1,
        T
      ))
        continue;
      const rt = u.getMinZoom();
      for (let I = d - 1; I >= rt && !this.findAltTiles_(
        u,
        q,
        I,
        T
      ); --I)
        ;
    }
    const P = g / o * l / _, R = this.getRenderContext(t);
    we(
      this.tempTransform,
      y / 2,
      x / 2,
      P,
      P,
      0,
      -y / 2,
      -x / 2
    ), n.extent && this.clipUnrotated(R, t, E), c.getInterpolate() || (R.imageSmoothingEnabled = !1), this.preRender(R, t);
    const F = Object.keys(T).map(Number);
    F.sort(en);
    let O;
    const B = [], D = [];
    for (let U = F.length - 1; U >= 0; --U) {
      const V = F[U], q = c.getTilePixelSize(
        V,
        l,
        s
      ), rt = u.getResolution(V) / g, I = q[0] * rt * P, Gt = q[1] * rt * P, se = u.getTileCoordForCoordAndZ(
        Wn(C),
        V
      ), Et = u.getTileCoordExtent(se), vt = mt(this.tempTransform, [
        _ * (Et[0] - C[0]) / g,
        _ * (C[3] - Et[3]) / g
      ]), Bt = _ * c.getGutterForProjection(s);
      for (const M of T[V]) {
        if (M.getState() !== j.LOADED)
          continue;
        const G = M.tileCoord, et = se[1] - G[1], an = Math.round(vt[0] - (et - 1) * I), Oi = se[2] - G[2], Tn = Math.round(vt[1] - (Oi - 1) * Gt), ue = Math.round(vt[0] - et * I), Fe = Math.round(vt[1] - Oi * Gt), Hn = an - ue, qn = Tn - Fe, ki = F.length === 1;
        let wn = !1;
        O = [ue, Fe, ue + Hn, Fe, ue + Hn, Fe + qn, ue, Fe + qn];
        for (let Jn = 0, Qn = B.length; Jn < Qn; ++Jn)
          if (!ki && V < D[Jn]) {
            const bt = B[Jn];
            Yt(
              [ue, Fe, ue + Hn, Fe + qn],
              [bt[0], bt[3], bt[4], bt[7]]
            ) && (wn || (R.save(), wn = !0), R.beginPath(), R.moveTo(O[0], O[1]), R.lineTo(O[2], O[3]), R.lineTo(O[4], O[5]), R.lineTo(O[6], O[7]), R.moveTo(bt[6], bt[7]), R.lineTo(bt[4], bt[5]), R.lineTo(bt[2], bt[3]), R.lineTo(bt[0], bt[1]), R.clip());
          }
        B.push(O), D.push(V), this.drawTile(M, t, ue, Fe, Hn, qn, Bt, ki), wn && R.restore(), this.renderedTiles.unshift(M), this.updateUsedTiles(t.usedTiles, c, M);
      }
    }
    if (this.renderedResolution = g, this.extentChanged = !this.renderedExtent_ || !wi(this.renderedExtent_, C), this.renderedExtent_ = C, this.renderedPixelRatio = l, this.postRender(this.context, t), n.extent && R.restore(), R.imageSmoothingEnabled = !0, this.renderComplete) {
      const U = (V, q) => {
        const rt = z(c), I = q.wantedTiles[rt], Gt = I ? Object.keys(I).length : 0;
        this.updateCacheSize(Gt), this.tileCache_.expireCache(), this.sourceTileCache_?.expireCache();
      };
      t.postRenderFunctions.push(U);
    }
    return this.container;
  }
  /**
   * Increases the cache size if needed
   * @param {number} tileCount Minimum number of tiles needed.
   */
  updateCacheSize(t) {
    this.tileCache_.highWaterMark = Math.max(
      this.tileCache_.highWaterMark,
      t * 2
    );
  }
  /**
   * @param {import("../../Tile.js").default} tile Tile.
   * @param {import("../../Map.js").FrameState} frameState Frame state.
   * @param {number} x Left of the tile.
   * @param {number} y Top of the tile.
   * @param {number} w Width of the tile.
   * @param {number} h Height of the tile.
   * @param {number} gutter Tile gutter.
   * @param {boolean} transition Apply an alpha transition.
   * @protected
   */
  drawTile(t, e, n, r, s, o, a, l) {
    let h;
    if (t instanceof Vh) {
      if (h = fa(t.getData()), !h)
        throw new Error("Rendering array data is not yet supported");
    } else
      h = this.getTileImage(
        /** @type {import("../../ImageTile.js").default} */
        t
      );
    if (!h)
      return;
    const c = this.getRenderContext(e), u = z(this), d = e.layerStatesArray[e.layerIndex], g = d.opacity * (l ? t.getAlpha(u, e.time) : 1), f = g !== c.globalAlpha;
    f && (c.save(), c.globalAlpha = g), c.drawImage(
      h,
      a,
      a,
      h.width - 2 * a,
      h.height - 2 * a,
      n,
      r,
      s,
      o
    ), f && c.restore(), g !== d.opacity ? e.animate = !0 : l && t.endTransition(u);
  }
  /**
   * @return {HTMLCanvasElement|OffscreenCanvas} Image
   */
  getImage() {
    const t = this.context;
    return t ? t.canvas : null;
  }
  /**
   * Get the image from a tile.
   * @param {import("../../ImageTile.js").default} tile Tile.
   * @return {HTMLCanvasElement|OffscreenCanvas|HTMLImageElement|HTMLVideoElement} Image.
   * @protected
   */
  getTileImage(t) {
    return t.getImage();
  }
  /**
   * @param {!Object<string, !Object<string, boolean>>} usedTiles Used tiles.
   * @param {import("../../source/Tile.js").default} tileSource Tile source.
   * @param {import('../../Tile.js').default} tile Tile.
   * @protected
   */
  updateUsedTiles(t, e, n) {
    const r = z(e);
    r in t || (t[r] = {}), t[r][n.getKey()] = !0;
  }
}
const cs = {
  PRELOAD: "preload",
  USE_INTERIM_TILES_ON_ERROR: "useInterimTilesOnError"
};
class Ty extends Gr {
  /**
   * @param {Options<TileSourceType>} [options] Tile layer options.
   */
  constructor(t) {
    t = t || {};
    const e = Object.assign({}, t), n = t.cacheSize;
    delete t.cacheSize, delete e.preload, delete e.useInterimTilesOnError, super(e), this.on, this.once, this.un, this.cacheSize_ = n, this.setPreload(t.preload !== void 0 ? t.preload : 0), this.setUseInterimTilesOnError(
      t.useInterimTilesOnError !== void 0 ? t.useInterimTilesOnError : !0
    );
  }
  /**
   * @return {number|undefined} The suggested cache size
   * @protected
   */
  getCacheSize() {
    return this.cacheSize_;
  }
  /**
   * Return the level as number to which we will preload tiles up to.
   * @return {number} The level to preload tiles up to.
   * @observable
   * @api
   */
  getPreload() {
    return (
      /** @type {number} */
      this.get(cs.PRELOAD)
    );
  }
  /**
   * Set the level as number to which we will preload tiles up to.
   * @param {number} preload The level to preload tiles up to.
   * @observable
   * @api
   */
  setPreload(t) {
    this.set(cs.PRELOAD, t);
  }
  /**
   * Deprecated.  Whether we use interim tiles on error.
   * @return {boolean} Use interim tiles on error.
   * @observable
   * @api
   */
  getUseInterimTilesOnError() {
    return (
      /** @type {boolean} */
      this.get(cs.USE_INTERIM_TILES_ON_ERROR)
    );
  }
  /**
   * Deprecated.  Set whether we use interim tiles on error.
   * @param {boolean} useInterimTilesOnError Use interim tiles on error.
   * @observable
   * @api
   */
  setUseInterimTilesOnError(t) {
    this.set(cs.USE_INTERIM_TILES_ON_ERROR, t);
  }
  /**
   * Get data for a pixel location.  The return type depends on the source data.  For image tiles,
   * a four element RGBA array will be returned.  For data tiles, the array length will match the
   * number of bands in the dataset.  For requests outside the layer extent, `null` will be returned.
   * Data for a image tiles can only be retrieved if the source's `crossOrigin` property is set.
   *
   * ```js
   * // display layer data on every pointer move
   * map.on('pointermove', (event) => {
   *   console.log(layer.getData(event.pixel));
   * });
   * ```
   * @param {import("../pixel").Pixel} pixel Pixel.
   * @return {Uint8ClampedArray|Uint8Array|Float32Array|DataView|null} Pixel data.
   * @api
   * @override
   */
  getData(t) {
    return super.getData(t);
  }
}
class wy extends Ty {
  /**
   * @param {import("./BaseTile.js").Options<TileSourceType>} [options] Tile layer options.
   */
  constructor(t) {
    super(t);
  }
  /**
   * @override
   */
  createRenderer() {
    return new Cy(this, {
      cacheSize: this.getCacheSize()
    });
  }
}
const ci = [0, 0, 0], gn = 5;
class zu {
  /**
   * @param {Options} options Tile grid options.
   */
  constructor(t) {
    this.minZoom = t.minZoom !== void 0 ? t.minZoom : 0, this.resolutions_ = t.resolutions, nt(
      Ag(
        this.resolutions_,
        /**
         * @param {number} a First resolution
         * @param {number} b Second resolution
         * @return {number} Comparison result
         */
        (r, s) => s - r
      ),
      "`resolutions` must be sorted in descending order"
    );
    let e;
    if (!t.origins) {
      for (let r = 0, s = this.resolutions_.length - 1; r < s; ++r)
        if (!e)
          e = this.resolutions_[r] / this.resolutions_[r + 1];
        else if (this.resolutions_[r] / this.resolutions_[r + 1] !== e) {
          e = void 0;
          break;
        }
    }
    this.zoomFactor_ = e, this.maxZoom = this.resolutions_.length - 1, this.origin_ = t.origin !== void 0 ? t.origin : null, this.origins_ = null, t.origins !== void 0 && (this.origins_ = t.origins, nt(
      this.origins_.length == this.resolutions_.length,
      "Number of `origins` and `resolutions` must be equal"
    ));
    const n = t.extent;
    n !== void 0 && !this.origin_ && !this.origins_ && (this.origin_ = Wn(n)), nt(
      !this.origin_ && this.origins_ || this.origin_ && !this.origins_,
      "Either `origin` or `origins` must be configured, never both"
    ), this.tileSizes_ = null, t.tileSizes !== void 0 && (this.tileSizes_ = t.tileSizes, nt(
      this.tileSizes_.length == this.resolutions_.length,
      "Number of `tileSizes` and `resolutions` must be equal"
    )), this.tileSize_ = t.tileSize !== void 0 ? t.tileSize : this.tileSizes_ ? null : tl, nt(
      !this.tileSize_ && this.tileSizes_ || this.tileSize_ && !this.tileSizes_,
      "Either `tileSize` or `tileSizes` must be configured, never both"
    ), this.extent_ = n !== void 0 ? n : null, this.fullTileRanges_ = null, this.tmpSize_ = [0, 0], this.tmpExtent_ = [0, 0, 0, 0], t.sizes !== void 0 ? this.fullTileRanges_ = t.sizes.map((r, s) => {
      const o = new al(
        Math.min(0, r[0]),
        Math.max(r[0] - 1, -1),
        Math.min(0, r[1]),
        Math.max(r[1] - 1, -1)
      );
      if (n) {
        const a = this.getTileRangeForExtentAndZ(n, s);
        o.minX = Math.max(a.minX, o.minX), o.maxX = Math.min(a.maxX, o.maxX), o.minY = Math.max(a.minY, o.minY), o.maxY = Math.min(a.maxY, o.maxY);
      }
      return o;
    }) : n && this.calculateTileRanges_(n);
  }
  /**
   * Call a function with each tile coordinate for a given extent and zoom level.
   *
   * @param {import("../extent.js").Extent} extent Extent.
   * @param {number} zoom Integer zoom level.
   * @param {function(import("../tilecoord.js").TileCoord): void} callback Function called with each tile coordinate.
   * @api
   */
  forEachTileCoord(t, e, n) {
    const r = this.getTileRangeForExtentAndZ(t, e);
    for (let s = r.minX, o = r.maxX; s <= o; ++s)
      for (let a = r.minY, l = r.maxY; a <= l; ++a)
        n([e, s, a]);
  }
  /**
   * @param {import("../tilecoord.js").TileCoord} tileCoord Tile coordinate.
   * @param {function(number, import("../TileRange.js").default): boolean} callback Callback.
   * @param {import("../TileRange.js").default} [tempTileRange] Temporary import("../TileRange.js").default object.
   * @param {import("../extent.js").Extent} [tempExtent] Temporary import("../extent.js").Extent object.
   * @return {boolean} Callback succeeded.
   */
  forEachTileCoordParentTileRange(t, e, n, r) {
    let s, o, a, l = null, h = t[0] - 1;
    for (this.zoomFactor_ === 2 ? (o = t[1], a = t[2]) : l = this.getTileCoordExtent(t, r); h >= this.minZoom; ) {
      if (o !== void 0 && a !== void 0 ? (o = Math.floor(o / 2), a = Math.floor(a / 2), s = si(o, o, a, a, n)) : s = this.getTileRangeForExtentAndZ(
        l,
        h,
        n
      ), e(h, s))
        return !0;
      --h;
    }
    return !1;
  }
  /**
   * Get the extent for this tile grid, if it was configured.
   * @return {import("../extent.js").Extent} Extent.
   * @api
   */
  getExtent() {
    return this.extent_;
  }
  /**
   * Get the maximum zoom level for the grid.
   * @return {number} Max zoom.
   * @api
   */
  getMaxZoom() {
    return this.maxZoom;
  }
  /**
   * Get the minimum zoom level for the grid.
   * @return {number} Min zoom.
   * @api
   */
  getMinZoom() {
    return this.minZoom;
  }
  /**
   * Get the origin for the grid at the given zoom level.
   * @param {number} z Integer zoom level.
   * @return {import("../coordinate.js").Coordinate} Origin.
   * @api
   */
  getOrigin(t) {
    return this.origin_ ? this.origin_ : this.origins_[t];
  }
  /**
   * Get the resolution for the given zoom level.
   * @param {number} z Integer zoom level.
   * @return {number} Resolution.
   * @api
   */
  getResolution(t) {
    return this.resolutions_[t];
  }
  /**
   * Get the list of resolutions for the tile grid.
   * @return {Array<number>} Resolutions.
   * @api
   */
  getResolutions() {
    return this.resolutions_;
  }
  /**
   * @param {import("../tilecoord.js").TileCoord} tileCoord Tile coordinate.
   * @param {import("../TileRange.js").default} [tempTileRange] Temporary import("../TileRange.js").default object.
   * @param {import("../extent.js").Extent} [tempExtent] Temporary import("../extent.js").Extent object.
   * @return {import("../TileRange.js").default|null} Tile range.
   */
  getTileCoordChildTileRange(t, e, n) {
    if (t[0] < this.maxZoom) {
      if (this.zoomFactor_ === 2) {
        const s = t[1] * 2, o = t[2] * 2;
        return si(
          s,
          s + 1,
          o,
          o + 1,
          e
        );
      }
      const r = this.getTileCoordExtent(
        t,
        n || this.tmpExtent_
      );
      return this.getTileRangeForExtentAndZ(
        r,
        t[0] + 1,
        e
      );
    }
    return null;
  }
  /**
   * @param {import("../tilecoord.js").TileCoord} tileCoord Tile coordinate.
   * @param {number} z Integer zoom level.
   * @param {import("../TileRange.js").default} [tempTileRange] Temporary import("../TileRange.js").default object.
   * @return {import("../TileRange.js").default|null} Tile range.
   */
  getTileRangeForTileCoordAndZ(t, e, n) {
    if (e > this.maxZoom || e < this.minZoom)
      return null;
    const r = t[0], s = t[1], o = t[2];
    if (e === r)
      return si(
        s,
        o,
        s,
        o,
        n
      );
    if (this.zoomFactor_) {
      const l = Math.pow(this.zoomFactor_, e - r), h = Math.floor(s * l), c = Math.floor(o * l);
      if (e < r)
        return si(h, h, c, c, n);
      const u = Math.floor(l * (s + 1)) - 1, d = Math.floor(l * (o + 1)) - 1;
      return si(h, u, c, d, n);
    }
    const a = this.getTileCoordExtent(t, this.tmpExtent_);
    return this.getTileRangeForExtentAndZ(a, e, n);
  }
  /**
   * Get a tile range for the given extent and integer zoom level.
   * @param {import("../extent.js").Extent} extent Extent.
   * @param {number} z Integer zoom level.
   * @param {import("../TileRange.js").default} [tempTileRange] Temporary tile range object.
   * @return {import("../TileRange.js").default} Tile range.
   */
  getTileRangeForExtentAndZ(t, e, n) {
    this.getTileCoordForXYAndZ_(t[0], t[3], e, !1, ci);
    const r = ci[1], s = ci[2];
    this.getTileCoordForXYAndZ_(t[2], t[1], e, !0, ci);
    const o = ci[1], a = ci[2];
    return si(r, o, s, a, n);
  }
  /**
   * @param {import("../tilecoord.js").TileCoord} tileCoord Tile coordinate.
   * @return {import("../coordinate.js").Coordinate} Tile center.
   */
  getTileCoordCenter(t) {
    const e = this.getOrigin(t[0]), n = this.getResolution(t[0]), r = Kt(this.getTileSize(t[0]), this.tmpSize_);
    return [
      e[0] + (t[1] + 0.5) * r[0] * n,
      e[1] - (t[2] + 0.5) * r[1] * n
    ];
  }
  /**
   * Get the extent of a tile coordinate.
   *
   * @param {import("../tilecoord.js").TileCoord} tileCoord Tile coordinate.
   * @param {import("../extent.js").Extent} [tempExtent] Temporary extent object.
   * @return {import("../extent.js").Extent} Extent.
   * @api
   */
  getTileCoordExtent(t, e) {
    const n = this.getOrigin(t[0]), r = this.getResolution(t[0]), s = Kt(this.getTileSize(t[0]), this.tmpSize_), o = n[0] + t[1] * s[0] * r, a = n[1] - (t[2] + 1) * s[1] * r, l = o + s[0] * r, h = a + s[1] * r;
    return Sn(o, a, l, h, e);
  }
  /**
   * Get the tile coordinate for the given map coordinate and resolution.  This
   * method considers that coordinates that intersect tile boundaries should be
   * assigned the higher tile coordinate.
   *
   * @param {import("../coordinate.js").Coordinate} coordinate Coordinate.
   * @param {number} resolution Resolution.
   * @param {import("../tilecoord.js").TileCoord} [opt_tileCoord] Destination import("../tilecoord.js").TileCoord object.
   * @return {import("../tilecoord.js").TileCoord} Tile coordinate.
   * @api
   */
  getTileCoordForCoordAndResolution(t, e, n) {
    return this.getTileCoordForXYAndResolution_(
      t[0],
      t[1],
      e,
      !1,
      n
    );
  }
  /**
   * Note that this method should not be called for resolutions that correspond
   * to an integer zoom level.  Instead call the `getTileCoordForXYAndZ_` method.
   * @param {number} x X.
   * @param {number} y Y.
   * @param {number} resolution Resolution (for a non-integer zoom level).
   * @param {boolean} reverseIntersectionPolicy Instead of letting edge
   *     intersections go to the higher tile coordinate, let edge intersections
   *     go to the lower tile coordinate.
   * @param {import("../tilecoord.js").TileCoord} [opt_tileCoord] Temporary import("../tilecoord.js").TileCoord object.
   * @return {import("../tilecoord.js").TileCoord} Tile coordinate.
   * @private
   */
  getTileCoordForXYAndResolution_(t, e, n, r, s) {
    const o = this.getZForResolution(n), a = n / this.getResolution(o), l = this.getOrigin(o), h = Kt(this.getTileSize(o), this.tmpSize_);
    let c = a * (t - l[0]) / n / h[0], u = a * (l[1] - e) / n / h[1];
    return r ? (c = Xr(c, gn) - 1, u = Xr(u, gn) - 1) : (c = Wr(c, gn), u = Wr(u, gn)), Fs(o, c, u, s);
  }
  /**
   * Although there is repetition between this method and `getTileCoordForXYAndResolution_`,
   * they should have separate implementations.  This method is for integer zoom
   * levels.  The other method should only be called for resolutions corresponding
   * to non-integer zoom levels.
   * @param {number} x Map x coordinate.
   * @param {number} y Map y coordinate.
   * @param {number} z Integer zoom level.
   * @param {boolean} reverseIntersectionPolicy Instead of letting edge
   *     intersections go to the higher tile coordinate, let edge intersections
   *     go to the lower tile coordinate.
   * @param {import("../tilecoord.js").TileCoord} [opt_tileCoord] Temporary import("../tilecoord.js").TileCoord object.
   * @return {import("../tilecoord.js").TileCoord} Tile coordinate.
   * @private
   */
  getTileCoordForXYAndZ_(t, e, n, r, s) {
    const o = this.getOrigin(n), a = this.getResolution(n), l = Kt(this.getTileSize(n), this.tmpSize_);
    let h = (t - o[0]) / a / l[0], c = (o[1] - e) / a / l[1];
    return r ? (h = Xr(h, gn) - 1, c = Xr(c, gn) - 1) : (h = Wr(h, gn), c = Wr(c, gn)), Fs(n, h, c, s);
  }
  /**
   * Get a tile coordinate given a map coordinate and zoom level.
   * @param {import("../coordinate.js").Coordinate} coordinate Coordinate.
   * @param {number} z Integer zoom level, e.g. the result of a `getZForResolution()` method call
   * @param {import("../tilecoord.js").TileCoord} [opt_tileCoord] Destination import("../tilecoord.js").TileCoord object.
   * @return {import("../tilecoord.js").TileCoord} Tile coordinate.
   * @api
   */
  getTileCoordForCoordAndZ(t, e, n) {
    return this.getTileCoordForXYAndZ_(
      t[0],
      t[1],
      e,
      !1,
      n
    );
  }
  /**
   * @param {import("../tilecoord.js").TileCoord} tileCoord Tile coordinate.
   * @return {number} Tile resolution.
   */
  getTileCoordResolution(t) {
    return this.resolutions_[t[0]];
  }
  /**
   * Get the tile size for a zoom level. The type of the return value matches the
   * `tileSize` or `tileSizes` that the tile grid was configured with. To always
   * get an {@link import("../size.js").Size}, run the result through {@link module:ol/size.toSize}.
   * @param {number} z Z.
   * @return {number|import("../size.js").Size} Tile size.
   * @api
   */
  getTileSize(t) {
    return this.tileSize_ ? this.tileSize_ : this.tileSizes_[t];
  }
  /**
   * @param {number} z Zoom level.
   * @return {import("../TileRange.js").default|null} Extent tile range for the specified zoom level.
   */
  getFullTileRange(t) {
    return this.fullTileRanges_ ? this.fullTileRanges_[t] : this.extent_ ? this.getTileRangeForExtentAndZ(this.extent_, t) : null;
  }
  /**
   * @param {number} resolution Resolution.
   * @param {number|import("../array.js").NearestDirectionFunction} [opt_direction]
   *     If 0, the nearest resolution will be used.
   *     If 1, the nearest higher resolution (lower Z) will be used. If -1, the
   *     nearest lower resolution (higher Z) will be used. Default is 0.
   *     Use a {@link module:ol/array~NearestDirectionFunction} for more precise control.
   *
   * For example to change tile Z at the midpoint of zoom levels
   * ```js
   * function(value, high, low) {
   *   return value - low * Math.sqrt(high / low);
   * }
   * ```
   * @return {number} Z.
   * @api
   */
  getZForResolution(t, e) {
    const n = Fa(
      this.resolutions_,
      t,
      e || 0
    );
    return dt(n, this.minZoom, this.maxZoom);
  }
  /**
   * The tile with the provided tile coordinate intersects the given viewport.
   * @param {import('../tilecoord.js').TileCoord} tileCoord Tile coordinate.
   * @param {Array<number>} viewport Viewport as returned from {@link module:ol/extent.getRotatedViewport}.
   * @return {boolean} The tile with the provided tile coordinate intersects the given viewport.
   */
  tileCoordIntersectsViewport(t, e) {
    return Ac(
      e,
      0,
      e.length,
      2,
      this.getTileCoordExtent(t)
    );
  }
  /**
   * @param {!import("../extent.js").Extent} extent Extent for this tile grid.
   * @private
   */
  calculateTileRanges_(t) {
    const e = this.resolutions_.length, n = new Array(e);
    for (let r = this.minZoom; r < e; ++r)
      n[r] = this.getTileRangeForExtentAndZ(t, r);
    this.fullTileRanges_ = n;
  }
}
function $u(i) {
  let t = i.getDefaultTileGrid();
  return t || (t = Ay(i), i.setDefaultTileGrid(t)), t;
}
function Ry(i, t, e) {
  const n = t[0], r = i.getTileCoordCenter(t), s = Rl(e);
  if (!Ti(s, r)) {
    const o = at(s), a = Math.ceil(
      (s[0] - r[0]) / o
    );
    return r[0] += o * a, i.getTileCoordForCoordAndZ(r, n);
  }
  return t;
}
function by(i, t, e, n) {
  n = n !== void 0 ? n : "top-left";
  const r = ju(i, t, e);
  return new zu({
    extent: i,
    origin: _d(i, n),
    resolutions: r,
    tileSize: e
  });
}
function Py(i) {
  const t = i || {}, e = t.extent || _t("EPSG:3857").getExtent(), n = {
    extent: e,
    minZoom: t.minZoom,
    tileSize: t.tileSize,
    resolutions: ju(
      e,
      t.maxZoom,
      t.tileSize,
      t.maxResolution
    )
  };
  return new zu(n);
}
function ju(i, t, e, n) {
  t = t !== void 0 ? t : dp, e = Kt(e !== void 0 ? e : tl);
  const r = Zt(i), s = at(i);
  n = n > 0 ? n : Math.max(s / e[0], r / e[1]);
  const o = t + 1, a = new Array(o);
  for (let l = 0; l < o; ++l)
    a[l] = n / Math.pow(2, l);
  return a;
}
function Ay(i, t, e, n) {
  const r = Rl(i);
  return by(r, t, e, n);
}
function Rl(i) {
  i = _t(i);
  let t = i.getExtent();
  if (!t) {
    const e = 180 * or.degrees / i.getMetersPerUnit();
    t = Sn(-e, -e, e, e);
  }
  return t;
}
const Fy = /\{z\}/g, Iy = /\{x\}/g, My = /\{y\}/g, Ly = /\{-y\}/g;
function Dy(i, t, e, n, r) {
  return i.replace(Fy, t.toString()).replace(Iy, e.toString()).replace(My, n.toString()).replace(Ly, function() {
    if (r === void 0)
      throw new Error(
        "If the URL template has a {-y} placeholder, the grid extent must be known"
      );
    return (r - n).toString();
  });
}
function Oy(i) {
  const t = [];
  let e = /\{([a-z])-([a-z])\}/.exec(i);
  if (e) {
    const n = e[1].charCodeAt(0), r = e[2].charCodeAt(0);
    let s;
    for (s = n; s <= r; ++s)
      t.push(i.replace(e[0], String.fromCharCode(s)));
    return t;
  }
  if (e = /\{(\d+)-(\d+)\}/.exec(i), e) {
    const n = parseInt(e[2], 10);
    for (let r = parseInt(e[1], 10); r <= n; r++)
      t.push(i.replace(e[0], r.toString()));
    return t;
  }
  return t.push(i), t;
}
function ky(i, t) {
  return (
    /**
     * @param {import("./tilecoord.js").TileCoord} tileCoord Tile Coordinate.
     * @param {number} pixelRatio Pixel ratio.
     * @param {import("./proj/Projection.js").default} projection Projection.
     * @return {string|undefined} Tile URL.
     */
    (function(e, n, r) {
      if (!e)
        return;
      let s;
      const o = e[0];
      if (t) {
        const a = t.getFullTileRange(o);
        a && (s = a.getHeight() - 1);
      }
      return Dy(i, o, e[1], e[2], s);
    })
  );
}
function Ny(i, t) {
  const e = i.length, n = new Array(e);
  for (let r = 0; r < e; ++r)
    n[r] = ky(i[r], t);
  return Gy(n);
}
function Gy(i) {
  return i.length === 1 ? i[0] : (
    /**
     * @param {import("./tilecoord.js").TileCoord} tileCoord Tile Coordinate.
     * @param {number} pixelRatio Pixel ratio.
     * @param {import("./proj/Projection.js").default} projection Projection.
     * @return {string|undefined} Tile URL.
     */
    (function(t, e, n) {
      if (!t)
        return;
      const r = z0(t), s = Nn(r, i.length);
      return i[s](t, e, n);
    })
  );
}
class By extends Jc {
  /**
   * @param {Options} options SourceTile source options.
   */
  constructor(t) {
    super({
      attributions: t.attributions,
      attributionsCollapsible: t.attributionsCollapsible,
      projection: t.projection,
      state: t.state,
      wrapX: t.wrapX,
      interpolate: t.interpolate
    }), this.on, this.once, this.un, this.tilePixelRatio_ = t.tilePixelRatio !== void 0 ? t.tilePixelRatio : 1, this.tileGrid = t.tileGrid !== void 0 ? t.tileGrid : null;
    const e = [256, 256];
    this.tileGrid && Kt(this.tileGrid.getTileSize(this.tileGrid.getMinZoom()), e), this.tmpSize = [0, 0], this.key_ = t.key || z(this), this.tileOptions = {
      transition: t.transition,
      interpolate: t.interpolate
    }, this.zDirection = t.zDirection ? t.zDirection : 0;
  }
  /**
   * @param {import("../proj/Projection.js").default} projection Projection.
   * @return {number} Gutter.
   */
  getGutterForProjection(t) {
    return 0;
  }
  /**
   * Return the key to be used for all tiles in the source.
   * @return {string} The key for all tiles.
   */
  getKey() {
    return this.key_;
  }
  /**
   * Set the value to be used as the key for all tiles in the source.
   * @param {string} key The key for tiles.
   * @protected
   */
  setKey(t) {
    this.key_ !== t && (this.key_ = t, this.changed());
  }
  /**
   * @param {import("../proj/Projection").default} [projection] Projection.
   * @return {Array<number>|null} Resolutions.
   * @override
   */
  getResolutions(t) {
    const e = t ? this.getTileGridForProjection(t) : this.tileGrid;
    return e ? e.getResolutions() : null;
  }
  /**
   * @abstract
   * @param {number} z Tile coordinate z.
   * @param {number} x Tile coordinate x.
   * @param {number} y Tile coordinate y.
   * @param {number} pixelRatio Pixel ratio.
   * @param {import("../proj/Projection.js").default} projection Projection.
   * @param {import("../structs/LRUCache.js").default<import("../Tile.js").default>} [tileCache] Tile cache.
   * @return {TileType|null} Tile.
   */
  getTile(t, e, n, r, s, o) {
    return X();
  }
  /**
   * Return the tile grid of the tile source.
   * @return {import("../tilegrid/TileGrid.js").default|null} Tile grid.
   * @api
   */
  getTileGrid() {
    return this.tileGrid;
  }
  /**
   * @param {import("../proj/Projection.js").default} projection Projection.
   * @return {!import("../tilegrid/TileGrid.js").default} Tile grid.
   */
  getTileGridForProjection(t) {
    return this.tileGrid ? this.tileGrid : $u(t);
  }
  /**
   * Get the tile pixel ratio for this source. Subclasses may override this
   * method, which is meant to return a supported pixel ratio that matches the
   * provided `pixelRatio` as close as possible.
   * @param {number} pixelRatio Pixel ratio.
   * @return {number} Tile pixel ratio.
   */
  getTilePixelRatio(t) {
    return this.tilePixelRatio_;
  }
  /**
   * @param {number} z Z.
   * @param {number} pixelRatio Pixel ratio.
   * @param {import("../proj/Projection.js").default} projection Projection.
   * @return {import("../size.js").Size} Tile size.
   */
  getTilePixelSize(t, e, n) {
    const r = this.getTileGridForProjection(n), s = this.getTilePixelRatio(e), o = Kt(r.getTileSize(t), this.tmpSize);
    return s == 1 ? o : Ff(o, s, this.tmpSize);
  }
  /**
   * Returns a tile coordinate wrapped around the x-axis. When the tile coordinate
   * is outside the resolution and extent range of the tile grid, `null` will be
   * returned.
   * @param {import("../tilecoord.js").TileCoord} tileCoord Tile coordinate.
   * @param {import("../proj/Projection.js").default} [projection] Projection.
   * @return {import("../tilecoord.js").TileCoord} Tile coordinate to be passed to the tileUrlFunction or
   *     null if no tile URL should be created for the passed `tileCoord`.
   */
  getTileCoordForTileUrlFunction(t, e) {
    const n = e !== void 0 ? e : this.getProjection(), r = e !== void 0 ? this.getTileGridForProjection(n) : this.tileGrid || this.getTileGridForProjection(n);
    return this.getWrapX() && n.isGlobal() && (t = Ry(r, t, n)), j0(t, r) ? t : null;
  }
  /**
   * Remove all cached reprojected tiles from the source. The next render cycle will create new tiles.
   * @api
   */
  clear() {
  }
  /**
   * @override
   */
  refresh() {
    this.clear(), super.refresh();
  }
}
class Uy extends Pe {
  /**
   * @param {string} type Type.
   * @param {import("../Tile.js").default} tile The tile.
   */
  constructor(t, e) {
    super(t), this.tile = e;
  }
}
const $o = {
  /**
   * Triggered when a tile starts loading.
   * @event module:ol/source/Tile.TileSourceEvent#tileloadstart
   * @api
   */
  TILELOADSTART: "tileloadstart",
  /**
   * Triggered when a tile finishes loading, either when its data is loaded,
   * or when loading was aborted because the tile is no longer needed.
   * @event module:ol/source/Tile.TileSourceEvent#tileloadend
   * @api
   */
  TILELOADEND: "tileloadend",
  /**
   * Triggered if tile loading results in an error. Note that this is not the
   * right place to re-fetch tiles. See {@link module:ol/ImageTile~ImageTile#load}
   * for details.
   * @event module:ol/source/Tile.TileSourceEvent#tileloaderror
   * @api
   */
  TILELOADERROR: "tileloaderror"
};
class bl extends By {
  /**
   * @param {Options} options Image tile options.
   */
  constructor(t) {
    super({
      attributions: t.attributions,
      cacheSize: t.cacheSize,
      projection: t.projection,
      state: t.state,
      tileGrid: t.tileGrid,
      tilePixelRatio: t.tilePixelRatio,
      wrapX: t.wrapX,
      transition: t.transition,
      interpolate: t.interpolate,
      key: t.key,
      attributionsCollapsible: t.attributionsCollapsible,
      zDirection: t.zDirection
    }), this.generateTileUrlFunction_ = this.tileUrlFunction === bl.prototype.tileUrlFunction, this.tileLoadFunction = t.tileLoadFunction, t.tileUrlFunction && (this.tileUrlFunction = t.tileUrlFunction), this.urls = null, t.urls ? this.setUrls(t.urls) : t.url && this.setUrl(t.url), this.tileLoadingKeys_ = {};
  }
  /**
   * Deprecated.  Use an ImageTile source instead.
   * Return the tile load function of the source.
   * @return {import("../Tile.js").LoadFunction} TileLoadFunction
   * @api
   */
  getTileLoadFunction() {
    return this.tileLoadFunction;
  }
  /**
   * Deprecated.  Use an ImageTile source instead.
   * Return the tile URL function of the source.
   * @return {import("../Tile.js").UrlFunction} TileUrlFunction
   * @api
   */
  getTileUrlFunction() {
    return Object.getPrototypeOf(this).tileUrlFunction === this.tileUrlFunction ? this.tileUrlFunction.bind(this) : this.tileUrlFunction;
  }
  /**
   * Deprecated.  Use an ImageTile source instead.
   * Return the URLs used for this source.
   * When a tileUrlFunction is used instead of url or urls,
   * null will be returned.
   * @return {!Array<string>|null} URLs.
   * @api
   */
  getUrls() {
    return this.urls;
  }
  /**
   * Handle tile change events.
   * @param {import("../events/Event.js").default} event Event.
   * @protected
   */
  handleTileChange(t) {
    const e = (
      /** @type {import("../Tile.js").default} */
      t.target
    ), n = z(e), r = e.getState();
    let s;
    r == j.LOADING ? (this.tileLoadingKeys_[n] = !0, s = $o.TILELOADSTART) : n in this.tileLoadingKeys_ && (delete this.tileLoadingKeys_[n], s = r == j.ERROR ? $o.TILELOADERROR : r == j.LOADED ? $o.TILELOADEND : void 0), s != null && this.dispatchEvent(new Uy(s, e));
  }
  /**
   * Deprecated.  Use an ImageTile source instead.
   * Set the tile load function of the source.
   * @param {import("../Tile.js").LoadFunction} tileLoadFunction Tile load function.
   * @api
   */
  setTileLoadFunction(t) {
    this.tileLoadFunction = t, this.changed();
  }
  /**
   * Deprecated.  Use an ImageTile source instead.
   * Set the tile URL function of the source.
   * @param {import("../Tile.js").UrlFunction} tileUrlFunction Tile URL function.
   * @param {string} [key] Optional new tile key for the source.
   * @api
   */
  setTileUrlFunction(t, e) {
    this.tileUrlFunction = t, typeof e < "u" ? this.setKey(e) : this.changed();
  }
  /**
   * Set the URL to use for requests.
   * @param {string} url URL.
   * @api
   */
  setUrl(t) {
    const e = Oy(t);
    this.urls = e, this.setUrls(e);
  }
  /**
   * Deprecated.  Use an ImageTile source instead.
   * Set the URLs to use for requests.
   * @param {Array<string>} urls URLs.
   * @api
   */
  setUrls(t) {
    this.urls = t;
    const e = t.join(`
`);
    this.generateTileUrlFunction_ ? this.setTileUrlFunction(Ny(t, this.tileGrid), e) : this.setKey(e);
  }
  /**
   * @param {import("../tilecoord.js").TileCoord} tileCoord Tile coordinate.
   * @param {number} pixelRatio Pixel ratio.
   * @param {import("../proj/Projection.js").default} projection Projection.
   * @return {string|undefined} Tile URL.
   */
  tileUrlFunction(t, e, n) {
  }
}
class zy extends bl {
  /**
   * @param {!Options} options Image tile options.
   */
  constructor(t) {
    super({
      attributions: t.attributions,
      cacheSize: t.cacheSize,
      projection: t.projection,
      state: t.state,
      tileGrid: t.tileGrid,
      tileLoadFunction: t.tileLoadFunction ? t.tileLoadFunction : Vu,
      tilePixelRatio: t.tilePixelRatio,
      tileUrlFunction: t.tileUrlFunction,
      url: t.url,
      urls: t.urls,
      wrapX: t.wrapX,
      transition: t.transition,
      interpolate: t.interpolate !== void 0 ? t.interpolate : !0,
      key: t.key,
      attributionsCollapsible: t.attributionsCollapsible,
      zDirection: t.zDirection
    }), this.crossOrigin = t.crossOrigin !== void 0 ? t.crossOrigin : null, this.tileClass = t.tileClass !== void 0 ? t.tileClass : uu, this.tileGridForProjection = {}, this.reprojectionErrorThreshold_ = t.reprojectionErrorThreshold, this.renderReprojectionEdges_ = !1;
  }
  /**
   * @param {import("../proj/Projection.js").default} projection Projection.
   * @return {number} Gutter.
   * @override
   */
  getGutterForProjection(t) {
    return this.getProjection() && t && !er(this.getProjection(), t) ? 0 : this.getGutter();
  }
  /**
   * @return {number} Gutter.
   */
  getGutter() {
    return 0;
  }
  /**
   * Return the key to be used for all tiles in the source.
   * @return {string} The key for all tiles.
   * @override
   */
  getKey() {
    let t = super.getKey();
    return this.getInterpolate() || (t += ":disable-interpolation"), t;
  }
  /**
   * @param {import("../proj/Projection.js").default} projection Projection.
   * @return {!import("../tilegrid/TileGrid.js").default} Tile grid.
   * @override
   */
  getTileGridForProjection(t) {
    const e = this.getProjection();
    if (this.tileGrid && (!e || er(e, t)))
      return this.tileGrid;
    const n = z(t);
    return n in this.tileGridForProjection || (this.tileGridForProjection[n] = $u(t)), this.tileGridForProjection[n];
  }
  /**
   * @param {number} z Tile coordinate z.
   * @param {number} x Tile coordinate x.
   * @param {number} y Tile coordinate y.
   * @param {number} pixelRatio Pixel ratio.
   * @param {import("../proj/Projection.js").default} projection Projection.
   * @param {string} key The key set on the tile.
   * @return {!ImageTile} Tile.
   * @private
   */
  createTile_(t, e, n, r, s, o) {
    const a = [t, e, n], l = this.getTileCoordForTileUrlFunction(
      a,
      s
    ), h = l ? this.tileUrlFunction(l, r, s) : void 0, c = new this.tileClass(
      a,
      h !== void 0 ? j.IDLE : j.EMPTY,
      h !== void 0 ? h : "",
      this.crossOrigin,
      this.tileLoadFunction,
      this.tileOptions
    );
    return c.key = o, c.addEventListener(Y.CHANGE, this.handleTileChange.bind(this)), c;
  }
  /**
   * @param {number} z Tile coordinate z.
   * @param {number} x Tile coordinate x.
   * @param {number} y Tile coordinate y.
   * @param {number} pixelRatio Pixel ratio.
   * @param {import("../proj/Projection.js").default} projection Projection.
   * @param {import("../structs/LRUCache.js").default<import("../Tile.js").default>} [tileCache] Tile cache.
   * @return {!(ImageTile|ReprojTile)} Tile.
   * @override
   */
  getTile(t, e, n, r, s, o) {
    const a = this.getProjection();
    if (!a || !s || er(a, s))
      return this.getTileInternal(
        t,
        e,
        n,
        r,
        a || s
      );
    const l = [t, e, n], h = this.getKey(), c = this.getTileGridForProjection(a), u = this.getTileGridForProjection(s), d = this.getTileCoordForTileUrlFunction(
      l,
      s
    ), g = new Nu(
      a,
      c,
      s,
      u,
      l,
      d,
      this.getTilePixelRatio(r),
      this.getGutter(),
      (f, p, _, y) => this.getTileInternal(f, p, _, y, a, o),
      this.reprojectionErrorThreshold_,
      this.renderReprojectionEdges_,
      this.tileOptions
    );
    return g.key = h, g;
  }
  /**
   * @param {number} z Tile coordinate z.
   * @param {number} x Tile coordinate x.
   * @param {number} y Tile coordinate y.
   * @param {number} pixelRatio Pixel ratio.
   * @param {!import("../proj/Projection.js").default} projection Projection.
   * @param {import("../structs/LRUCache.js").default<import("../Tile.js").default>} [tileCache] Tile cache.
   * @return {!ImageTile} Tile.
   * @protected
   */
  getTileInternal(t, e, n, r, s, o) {
    const a = this.getKey(), l = ds(this, a, t, e, n);
    if (o && o.containsKey(l))
      return (
        /** @type {!ImageTile} */
        o.get(l)
      );
    const h = this.createTile_(t, e, n, r, s, a);
    return o?.set(l, h), h;
  }
  /**
   * Sets whether to render reprojection edges or not (usually for debugging).
   * @param {boolean} render Render the edges.
   * @api
   */
  setRenderReprojectionEdges(t) {
    this.renderReprojectionEdges_ != t && (this.renderReprojectionEdges_ = t, this.changed());
  }
  /**
   * Sets the tile grid to use when reprojecting the tiles to the given
   * projection instead of the default tile grid for the projection.
   *
   * This can be useful when the default tile grid cannot be created
   * (e.g. projection has no extent defined) or
   * for optimization reasons (custom tile size, resolutions, ...).
   *
   * @param {import("../proj.js").ProjectionLike} projection Projection.
   * @param {import("../tilegrid/TileGrid.js").default} tilegrid Tile grid to use for the projection.
   * @api
   */
  setTileGridForProjection(t, e) {
    const n = _t(t);
    if (n) {
      const r = z(n);
      r in this.tileGridForProjection || (this.tileGridForProjection[r] = e);
    }
  }
}
function Vu(i, t) {
  if (le) {
    const e = i.getCrossOrigin();
    let n = "same-origin", r = "same-origin";
    e === "anonymous" || e === "" ? (n = "cors", r = "omit") : e === "use-credentials" && (n = "cors", r = "include"), fetch(t, {
      mode: n,
      credentials: r
    }).then((s) => {
      if (!s.ok)
        throw new Error(`HTTP ${s.status}`);
      return s.blob();
    }).then((s) => createImageBitmap(s)).then((s) => {
      const o = i.getImage();
      o.width = s.width, o.height = s.height, /** @type {OffscreenCanvas} */
      o.getContext("2d").drawImage(s, 0, 0), s.close?.(), o.dispatchEvent(new Event("load"));
    }).catch(() => {
      i.getImage().dispatchEvent(new Event("error"));
    });
    return;
  }
  i.getImage().src = t;
}
class $y extends zy {
  /**
   * @param {Options} [options] XYZ options.
   */
  constructor(t) {
    t = t || {};
    const e = t.projection !== void 0 ? t.projection : "EPSG:3857", n = t.tileGrid !== void 0 ? t.tileGrid : Py({
      extent: Rl(e),
      maxResolution: t.maxResolution,
      maxZoom: t.maxZoom,
      minZoom: t.minZoom,
      tileSize: t.tileSize
    });
    super({
      attributions: t.attributions,
      cacheSize: t.cacheSize,
      crossOrigin: t.crossOrigin,
      interpolate: t.interpolate,
      projection: e,
      reprojectionErrorThreshold: t.reprojectionErrorThreshold,
      tileGrid: n,
      tileLoadFunction: t.tileLoadFunction,
      tilePixelRatio: t.tilePixelRatio,
      tileUrlFunction: t.tileUrlFunction,
      url: t.url,
      urls: t.urls,
      wrapX: t.wrapX !== void 0 ? t.wrapX : !0,
      transition: t.transition,
      attributionsCollapsible: t.attributionsCollapsible,
      zDirection: t.zDirection
    }), this.gutter_ = t.gutter !== void 0 ? t.gutter : 0;
  }
  /**
   * @return {number} Gutter.
   * @override
   */
  getGutter() {
    return this.gutter_;
  }
}
const jy = '&#169; <a href="https://www.openstreetmap.org/copyright" target="_blank">OpenStreetMap</a> contributors.';
class Vy extends $y {
  /**
   * @param {Options} [options] Open Street Map options.
   */
  constructor(t) {
    t = t || {};
    let e;
    t.attributions !== void 0 ? e = t.attributions : e = [jy];
    const n = t.crossOrigin !== void 0 ? t.crossOrigin : "anonymous", r = t.url !== void 0 ? t.url : "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
    super({
      attributions: e,
      attributionsCollapsible: !1,
      cacheSize: t.cacheSize,
      crossOrigin: n,
      interpolate: t.interpolate,
      maxZoom: t.maxZoom !== void 0 ? t.maxZoom : 19,
      reprojectionErrorThreshold: t.reprojectionErrorThreshold,
      tileLoadFunction: (
        /**
         * @param {import("../ImageTile.js").default} tile Image tile
         * @param {string} src Image src
         */
        ((s, o) => {
          const a = s.getImage();
          !le && a instanceof HTMLImageElement && (a.referrerPolicy = "origin-when-cross-origin"), (t.tileLoadFunction || Vu)(s, o);
        })
      ),
      transition: t.transition,
      url: r,
      wrapX: t.wrapX,
      zDirection: t.zDirection
    });
  }
}
const Wt = {
  LOADING: "loading",
  READY: "ready",
  ERROR: "error",
  CAPTURING: "capturing"
}, Qh = "EPSG:3857", Ci = "odk_value";
function Wy(i, t) {
  let e, n, r, s;
  const o = id(i.mode), a = ae(Wt.LOADING), l = ae(), h = new Xa(), c = new Ks({
    source: h,
    style: i.mode === rd.DRAW ? mm(wr, Je) : Ph(qe, _i),
    updateWhileAnimating: !0
  }), u = new ma({
    source: h,
    style: [
      ...um(qe, us, _i),
      ...dm(qe, us, _i),
      ...Ph(qe, _i)
    ],
    variables: { [_i]: "", [us]: "" }
  }), d = (M, G, et) => {
    if (!e) {
      if (o.capabilities.canLoadMultiFeatures && !Um()) {
        a.value = Wt.ERROR, l.value = {
          title: "Graphics issue detected",
          message: "Your browser cannot display the map now. Enable graphics acceleration settings."
        };
        return;
      }
      e = new Hp({
        target: M,
        layers: [new wy({ source: new Vy() })],
        view: new Oe({
          center: Au,
          zoom: Fu,
          // Prevent map cloning at low zoom during panning, which disrupts feature selection.
          multiWorld: !1,
          projection: Qh,
          extent: _t(Qh)?.getExtent()
        }),
        controls: [new gu(), new du({ collapsible: !1 })],
        interactions: xu({ doubleClickZoom: !1 }),
        moveTolerance: 8
        // Prevents micro-panning from suppressing click events
      }), r = Pm(e), n = Ey(
        e,
        o.capabilities,
        i.singleFeatureType
      ), s = a0(
        e,
        o.capabilities,
        r,
        u
      ), g(G, et), n.setupMapVisibilityObserver(M, () => vt()), a.value = Wt.READY;
    }
  }, g = (M, G) => {
    if (!e)
      return;
    if (o.capabilities.canLoadMultiFeatures) {
      e.addLayer(u), w(M, G);
      return;
    }
    if (e.addLayer(c), !G)
      return;
    const et = s?.createFeatureFromGeoJSON(G);
    R(et);
  }, f = (M) => {
    !e || !n || (n.removeMapInteractions(), !M && (o.interactions.select && n.toggleSelectEvent(!0, (G, et) => {
      s?.selectFeature(G, et), t.onVertexSelect(Mh(G, et));
    }), o.interactions.dragFeature && n.setupFeatureDrag(
      c,
      (G) => _(G)
    ), o.interactions.tapToAdd && (n.setupTapToAddVertex(
      h,
      (G) => _(G)
    ), o.interactions.dragFeatureAndVertex && n.setupVertexDrag(h, (G) => _(G)))));
  }, p = (M) => {
    M.set(Ci, Lh(M)), s?.saveFeature(M);
    const G = M.get(Je);
    t.onVertexSelect(Mh(M, G));
  }, _ = (M) => {
    p(M), t.onFeaturePlacement && t.onFeaturePlacement();
  }, y = () => {
    if (!v())
      return;
    const M = s?.getSelectedFeature(), G = M?.get(Je);
    if (!(!M || G === void 0)) {
      if (n?.pushUndoState(M), Nm(M, G) > 0) {
        p(M), D();
        return;
      }
      T();
    }
  }, x = () => {
    const M = s?.getSelectedFeature();
    v() && M && (n?.pushUndoState(M), T());
  }, E = () => {
    const M = s?.getSelectedFeature();
    return M && M.get(Je) === void 0;
  }, v = () => {
    const { canDeleteFeature: M, canLoadMultiFeatures: G } = o.capabilities;
    return M && !G;
  }, m = () => {
    const { canUndoLastChange: M, canLoadMultiFeatures: G } = o.capabilities;
    return !!n?.hasUndoHistory() && M && !G;
  }, C = () => {
    if (m()) {
      T();
      const M = n?.popUndoState();
      M && (h.addFeature(M), p(M), D());
    }
  }, T = () => {
    D(), U(), h.clear();
  }, w = (M, G) => {
    F(M), s?.findAndSaveFeature(h, G, !0);
  }, b = (M) => {
    if (!M.length || !o.capabilities.canUpdateVertexCoordinates)
      return;
    const G = s?.getSavedFeature(), et = G?.get(Je);
    et !== void 0 && (n?.pushUndoState(G), Gm(G, et, M), p(G), r?.fitToAllFeatures(h));
  }, L = (M) => {
    if (!M.length || !o.capabilities.canUpdateFeatureCoordinates)
      return;
    const G = h.getFeatures()?.[0];
    G ? P(G, M) : A(M), r?.fitToAllFeatures(h);
  }, A = (M) => {
    const G = s?.createFeatureFromType(i.singleFeatureType, M);
    G && (n?.pushUndoState(null), h.addFeature(G), p(G));
  }, P = (M, G) => {
    const et = M.getGeometry();
    et && (n?.pushUndoState(M), et.setCoordinates(G, sn), p(M), D());
  }, R = (M) => {
    !e || o.capabilities.canLoadMultiFeatures || !M || (a.value = Wt.LOADING, s?.loadAndSaveSingleFeature(h, M), t.onFeaturePlacement?.(), a.value = Wt.READY);
  }, F = (M) => {
    !e || !o.capabilities.canLoadMultiFeatures || (a.value = Wt.LOADING, T(), M.features.length ? s?.loadFeatureCollection(h, M) : r?.centerFullWorldView(), a.value = Wt.READY);
  }, O = () => {
    const M = r?.getUserCurrentLocation(), { canSaveCurrentLocation: G } = o.capabilities;
    if (!G || s?.getSavedFeature() || !M)
      return;
    const et = ya(
      M.longitude,
      M.latitude,
      M.altitude,
      M.accuracy
    ), an = s?.createFeatureFromType(
      xt.POINT,
      lr(et)
    );
    an && (an.set(Ci, Lh(an)), R(an));
  }, B = () => {
    if (o.capabilities.canLoadMultiFeatures) {
      U();
      return;
    }
    o.capabilities.canSaveCurrentLocation && vt(), T();
  }, D = () => {
    s?.selectFeature(void 0), t.onVertexSelect(void 0);
  }, U = () => s?.saveFeature(void 0), V = () => {
    if (vt(), r = void 0, n?.teardownMap(), n = void 0, s = void 0, he.clear(), e) {
      e.getLayers().getArray().forEach((G) => {
        G.dispose(), e.removeLayer(G);
      });
      const M = e.getViewport().querySelector("canvas");
      if (M) {
        const G = M.getContext("webgl") ?? M.getContext("webgl2");
        if (G) {
          const et = G.getExtension("WEBGL_lose_context");
          et && et.loseContext();
        }
      }
      e.getInteractions().clear(), e.getOverlays().clear(), e.dispose(), e.setTarget(), e = void 0;
    }
  }, q = () => {
    const { canShowMapOverlayOnError: M, canShowMapOverlay: G } = o.capabilities, et = !r?.getUserCurrentLocation() && !s?.getSavedFeature();
    return a.value === Wt.ERROR ? M && et : a.value === Wt.READY && G && et;
  }, rt = () => o.capabilities.canRemoveCurrentLocation && !!s?.getSavedFeature(), I = () => o.interactions.tapToAdd && o.interactions.dragFeatureAndVertex, Gt = () => o.interactions.tapToAdd && o.interactions.dragFeature, se = () => {
    const { singleFeatureType: M } = i;
    if (M !== xt.SHAPE && M !== xt.TRACE)
      return !1;
    const { canUpdateFeatureCoordinates: G, canUpdateVertexCoordinates: et } = o.capabilities;
    return G || et;
  }, Et = () => {
    a.value = Wt.CAPTURING, r?.watchCurrentLocation(
      () => {
        a.value = Wt.READY, O();
      },
      () => {
        a.value = Wt.ERROR, l.value = {
          title: "Cannot access location",
          message: "Grant location permission in the browser settings and make sure location is turned on."
        };
      }
    );
  }, vt = () => {
    a.value = Wt.READY, r?.stopWatchingCurrentLocation();
  }, Bt = (M) => s?.findAndSaveFeature(
    h,
    M,
    o.capabilities.canViewProperties
  );
  return Se(
    () => a.value,
    (M) => {
      M !== Wt.ERROR && (l.value = void 0);
    }
  ), {
    currentState: a,
    errorMessage: l,
    initMap: d,
    teardownMap: V,
    updateFeatureCollection: w,
    updateVertexCoords: b,
    updateFeatureCoordinates: L,
    setupMapInteractions: f,
    isMapEmpty: () => h.isEmpty(),
    fitToAllFeatures: () => r?.fitToAllFeatures(h),
    watchCurrentLocation: Et,
    stopWatchingCurrentLocation: vt,
    canRemoveCurrentLocation: rt,
    discardSavedFeature: B,
    saveSelectedFeature: () => s?.saveSelectedFeature(),
    findAndSaveFeature: Bt,
    getSavedFeature: () => s?.getSavedFeature()?.clone(),
    getSavedFeatureValue: () => s?.getSavedFeatureValue(),
    isSavedFeatureSelected: () => !!s?.isSavedFeatureSelected(),
    confirmDeleteFeature: E,
    deleteFeature: x,
    deleteVertex: y,
    canDeleteFeatureOrVertex: v,
    canUndoChange: m,
    undoLastChange: C,
    isFeatureSelected: () => !!s?.getSelectedFeature(),
    getSelectedFeatureProperties: () => s?.getSelectedFeatureProperties(),
    selectSavedFeature: () => s?.selectFeature(s?.getSavedFeature()),
    unselectFeature: D,
    canDragFeatureAndVertex: I,
    canDragFeature: Gt,
    canViewProperties: () => o.capabilities.canViewProperties,
    canOpenAdvancedPanel: se,
    shouldShowMapOverlay: q
  };
}
const Xy = {
  key: 0,
  class: "map-properties"
}, Yy = { class: "map-properties-header" }, Zy = { class: "map-properties-content" }, Ky = { class: "map-properties-footer" }, Hy = /* @__PURE__ */ jn({
  __name: "MapProperties",
  props: {
    reservedProps: {},
    orderedExtraProps: {},
    isSavedFeatureSelected: { type: Boolean },
    canRemove: { type: Boolean },
    canSave: { type: Boolean }
  },
  emits: ["close", "save", "discard"],
  setup(i, { emit: t }) {
    const e = i, n = t, r = me(() => {
      const s = e.reservedProps?.[Ci];
      return s ? e.orderedExtraProps.get(s) ?? [] : [];
    });
    return (s, o) => i.reservedProps ? (Q(), ft("div", Xy, [
      k("div", Yy, [
        k("strong", null, Ce(i.reservedProps.odk_label ?? i.reservedProps.odk_geometry), 1),
        k("button", {
          class: "close-icon",
          onClick: o[0] || (o[0] = (a) => n("close"))
        }, [
          ct(kt, { name: "mdiClose" })
        ])
      ]),
      k("dl", Zy, [
        (Q(!0), ft(nc, null, hd(r.value, ([a = "", l = ""]) => (Q(), ft("div", {
          key: a,
          class: "property-line"
        }, [
          k("dt", null, Ce(a), 1),
          k("dd", null, Ce(l), 1)
        ]))), 128))
      ]),
      k("div", Ky, [
        i.isSavedFeatureSelected && i.canRemove ? (Q(), ee(J(Ne), {
          key: 0,
          outlined: "",
          severity: "contrast",
          onClick: o[1] || (o[1] = (a) => n("discard"))
        }, {
          default: $t(() => [...o[3] || (o[3] = [
            k("span", null, "–", -1),
            k("span", null, "Remove selection", -1)
          ])]),
          _: 1
        })) : yt("", !0),
        !i.isSavedFeatureSelected && i.canSave ? (Q(), ee(J(Ne), {
          key: 1,
          onClick: o[2] || (o[2] = (a) => n("save"))
        }, {
          default: $t(() => [
            ct(kt, {
              name: "mdiCheckboxMarkedCircleOutline",
              size: "sm",
              variant: "inverted"
            }),
            o[4] || (o[4] = k("span", null, "Save selected", -1))
          ]),
          _: 1
        })) : yt("", !0)
      ])
    ])) : yt("", !0);
  }
}), qy = /* @__PURE__ */ Mi(Hy, [["__scopeId", "data-v-d705b86b"]]), Jy = { class: "map-status-container" }, Qy = {
  key: 0,
  class: "map-status"
}, tx = {
  key: 1,
  class: "map-status"
}, ex = {
  key: 2,
  class: "map-status-buttons"
}, tc = "mdiVectorPolyline", ec = "mdiVectorPolygon", nx = /* @__PURE__ */ jn({
  __name: "MapStatusBar",
  props: {
    savedFeatureValue: {},
    selectedVertex: {},
    singleFeatureType: {},
    isCapturing: { type: Boolean },
    isFullScreen: { type: Boolean },
    canRemove: { type: Boolean },
    canViewDetails: { type: Boolean },
    canOpenAdvancedPanel: { type: Boolean }
  },
  emits: ["discard", "toggle-advanced-panel", "view-details"],
  setup(i, { emit: t }) {
    const e = i, n = t, r = me(() => e.singleFeatureType === xt.TRACE ? { message: "No trace saved", icon: tc } : e.singleFeatureType === xt.SHAPE ? { message: "No shape saved", icon: ec } : { message: "No point saved", icon: "mdiMapMarkerOutline" }), s = me(() => {
      if (!e.selectedVertex || e.selectedVertex.length < 2)
        return "";
      const [c, u, d, g] = hr(e.selectedVertex), f = [`Longitude: ${c}`, `Latitude: ${u}`];
      return d != null && f.push(`Altitude: ${d} m`), g != null && f.push(`Accuracy: ${ud(g, { decimals: 3 })}`), f.join(", ");
    }), o = (c = []) => {
      if (e.singleFeatureType === xt.POINT && c?.length)
        return 1;
      if (e.singleFeatureType === xt.TRACE)
        return c.length;
      const u = c[0];
      return e.singleFeatureType === xt.SHAPE && Array.isArray(u) && Ii(u[0], u[u.length - 1]) ? u.length - 1 : 0;
    }, a = (c) => {
      const u = c?.toLowerCase();
      return u === "point" ? "Point saved" : u === "linestring" ? "Trace saved" : u === "polygon" ? "Shape saved" : "Feature saved";
    }, l = me(() => {
      const c = e.savedFeatureValue?.geometry;
      if (!e.singleFeatureType && c)
        return {
          message: a(c.type),
          icon: "mdiCheckCircle",
          highlight: !0
        };
      const u = o(c?.coordinates);
      if (u === 0)
        return null;
      const d = `${u} points saved`;
      return e.singleFeatureType === xt.TRACE ? { message: d, icon: tc } : e.singleFeatureType === xt.SHAPE ? { message: d, icon: ec } : { message: "Point saved", icon: "mdiCheckCircle", highlight: !0 };
    }), h = me(() => {
      const c = l.value ?? r.value;
      return s.value.length ? { ...c, message: s.value } : { ...c };
    });
    return (c, u) => (Q(), ft("div", {
      class: On(["map-status-bar", { "full-screen-active": i.isFullScreen }])
    }, [
      k("div", Jy, [
        i.isCapturing ? (Q(), ft("div", Qy, [
          ct(J(sd), {
            class: "map-status-spinner",
            "stroke-width": "5px"
          }),
          u[3] || (u[3] = k("span", null, "Capturing location...", -1))
        ])) : yt("", !0),
        !i.isCapturing && h.value ? (Q(), ft("div", tx, [
          ct(kt, {
            name: h.value.icon,
            variant: h.value.highlight ? "success" : "base"
          }, null, 8, ["name", "variant"]),
          k("span", null, Ce(h.value.message), 1)
        ])) : yt("", !0),
        l.value ? (Q(), ft("div", ex, [
          i.canRemove ? (Q(), ee(J(Ne), {
            key: 0,
            outlined: "",
            severity: "contrast",
            onClick: u[0] || (u[0] = (d) => n("discard"))
          }, {
            default: $t(() => [...u[4] || (u[4] = [
              k("span", null, "–", -1),
              k("span", { class: "mobile-only" }, "Remove", -1),
              k("span", { class: "desktop-only" }, "Remove point", -1)
            ])]),
            _: 1
          })) : yt("", !0),
          i.canViewDetails ? (Q(), ee(J(Ne), {
            key: 1,
            outlined: "",
            severity: "contrast",
            onClick: u[1] || (u[1] = (d) => n("view-details"))
          }, {
            default: $t(() => [...u[5] || (u[5] = [
              k("span", null, "View details", -1)
            ])]),
            _: 1
          })) : yt("", !0)
        ])) : yt("", !0)
      ]),
      i.canOpenAdvancedPanel ? (Q(), ee(J(Ne), {
        key: 0,
        class: "advanced-button",
        outlined: "",
        severity: "contrast",
        onClick: u[2] || (u[2] = (d) => n("toggle-advanced-panel"))
      }, {
        default: $t(() => [
          ct(kt, { name: "mdiCogOutline" }),
          u[6] || (u[6] = k("span", null, "Advanced", -1))
        ]),
        _: 1
      })) : yt("", !0)
    ], 2));
  }
}), ix = /* @__PURE__ */ Mi(nx, [["__scopeId", "data-v-f8d03afc"]]), rx = { class: "dialog-field-container" }, sx = {
  key: 0,
  class: "coords-error-message"
}, ox = { class: "dialog-field-container" }, ax = {
  key: 0,
  class: "file-added-container"
}, lx = { class: "file-name" }, hx = {
  key: 1,
  class: "coords-error-message"
}, cx = /* @__PURE__ */ jn({
  __name: "MapUpdateCoordsDialog",
  props: {
    visible: { type: Boolean },
    singleFeatureType: {}
  },
  emits: ["update:visible", "save"],
  setup(i, { emit: t }) {
    const e = i, n = t, r = Ft(""), s = Ft(null), o = Ft(null), a = Ft(!1), l = Ft(null), h = Ft(null), c = () => {
      _(), s.value?.click();
    }, u = (m) => {
      const C = m.target.files?.[0];
      C && (o.value = C);
    }, d = async (m) => {
      try {
        const C = await m.text();
        if (!C?.trim()?.length) {
          E("File is empty.");
          return;
        }
        if (m.name.toLowerCase().endsWith(".geojson"))
          return dd(C);
        E("Unsupported file type. Please upload a .geojson file.");
      } catch {
        E("Failed to parse file. Ensure it is a valid GeoJSON.");
      }
    }, g = () => {
      const m = r.value.trim();
      if (m.length)
        return gd(m);
    }, f = async () => {
      x(), a.value = !0;
      let m;
      o.value ? m = await d(o.value) : r.value.length && (m = g());
      const C = zm(
        m,
        e.singleFeatureType
      );
      a.value = !1;
      const T = "Incorrect geometry type.";
      if (!C?.length && o.value) {
        E(T);
        return;
      }
      if (!C?.length && r.value.length) {
        v(T);
        return;
      }
      p(), n("save", C);
    }, p = () => {
      _(), n("update:visible", !1);
    }, _ = () => {
      r.value = "", a.value = !1, y(), x();
    }, y = () => {
      o.value = null, s.value && (s.value.value = "");
    }, x = () => {
      l.value = null, h.value = null;
    }, E = (m) => h.value ??= m, v = (m) => l.value ??= m;
    return Se(r, (m) => {
      x(), m && o.value && y();
    }), (m, C) => (Q(), ee(J(ic), {
      visible: i.visible,
      modal: "",
      class: "map-paste-dialog",
      draggable: !1,
      "onUpdate:visible": C[1] || (C[1] = (T) => n("update:visible", T)),
      onAfterHide: _
    }, {
      header: $t(() => [...C[2] || (C[2] = [
        k("strong", null, "Import data to replace location", -1)
      ])]),
      default: $t(() => [
        k("div", rx, [
          C[3] || (C[3] = k("label", { for: "paste-input" }, [
            k("span", null, "Paste data in ODK format"),
            k("span", {
              class: "info-helper",
              title: "Enter as: Lat Long Alt Acc (e.g. 45.5 -122.6 15 2; 45.6 -122.7 12 3)"
            }, " ⓘ ")
          ], -1)),
          ct(J(cd), {
            id: "paste-input",
            modelValue: r.value,
            "onUpdate:modelValue": C[0] || (C[0] = (T) => r.value = T),
            disabled: a.value,
            "auto-resize": "",
            rows: "1"
          }, null, 8, ["modelValue", "disabled"]),
          l.value?.length ? (Q(), ft("p", sx, Ce(l.value), 1)) : yt("", !0)
        ]),
        k("div", ox, [
          C[5] || (C[5] = k("label", null, "Upload a GeoJSON file", -1)),
          o.value ? (Q(), ft("div", ax, [
            ct(kt, { name: "mdiFileOutline" }),
            k("span", lx, Ce(o.value.name), 1),
            ct(kt, {
              class: "clear-file",
              name: "mdiClose",
              variant: "muted",
              size: "sm",
              onClick: _
            })
          ])) : yt("", !0),
          h.value?.length ? (Q(), ft("p", hx, Ce(h.value), 1)) : yt("", !0),
          ct(J(Ne), {
            class: "upload-button",
            outlined: "",
            severity: "contrast",
            disabled: a.value,
            onClick: c
          }, {
            default: $t(() => [
              ct(kt, { name: "mdiUpload" }),
              C[4] || (C[4] = k("span", null, "Upload file", -1))
            ]),
            _: 1
          }, 8, ["disabled"]),
          k("input", {
            ref_key: "fileInput",
            ref: s,
            type: "file",
            accept: ".geojson,application/json",
            onChange: u
          }, null, 544)
        ])
      ]),
      footer: $t(() => [
        ct(J(Ne), {
          label: "Save",
          disabled: !o.value && !r.value.length,
          onClick: f
        }, null, 8, ["disabled"])
      ]),
      _: 1
    }, 8, ["visible"]));
  }
}), ux = /* @__PURE__ */ Mi(cx, [["__scopeId", "data-v-2b003337"]]), dx = { class: "map-block-component" }, gx = {
  key: 1,
  class: "map-overlay get-location-overlay"
}, fx = { key: 0 }, _x = { key: 1 }, px = { class: "error-message" }, mx = /* @__PURE__ */ jn({
  __name: "MapBlock",
  props: {
    featureCollection: {},
    disabled: { type: Boolean },
    singleFeatureType: {},
    mode: {},
    orderedExtraProps: {},
    savedFeatureValue: {}
  },
  emits: ["save"],
  setup(i, { emit: t }) {
    const e = i, n = t, r = Ft(), s = Ft(!1), o = Ft(!1), a = Ft(!1), l = Ft(!1), h = Ft(!1), c = Ft(), u = Ft(!1), d = Hu(
      qu,
      me(() => !1)
    ), g = Wy(
      { mode: e.mode, singleFeatureType: e.singleFeatureType },
      {
        onFeaturePlacement: () => y(),
        onVertexSelect: (R) => c.value = R
      }
    ), f = me(() => g.canOpenAdvancedPanel() && c.value?.length ? hr(c.value) : null), p = me(() => !e.disabled && (g.canUndoChange() || g.canDeleteFeatureOrVertex())), _ = me(() => e.disabled ? null : g.canDragFeatureAndVertex() ? {
      placed: "Press and drag to move a point",
      default: "Tap to place a point"
    } : g.canDragFeature() ? {
      placed: "Tap to move point",
      default: "Use the location button to center on your current location"
    } : null);
    Ju(() => {
      !r.value || !g || (g.initMap(r.value, e.featureCollection, e.savedFeatureValue), g.setupMapInteractions(e.disabled), document.addEventListener("keydown", x));
    }), Qu(() => {
      document.removeEventListener("keydown", x), g.teardownMap();
    }), Se(
      () => e.featureCollection,
      (R) => {
        g.updateFeatureCollection(R, e.savedFeatureValue), E();
      },
      { deep: !0 }
    ), Se(
      () => e.savedFeatureValue,
      (R) => {
        g.findAndSaveFeature(R);
      }
    ), Se(
      () => e.disabled,
      (R) => g.setupMapInteractions(R)
    ), Se(s, async (R) => {
      R || (await td(), o.value = !1, g.fitToAllFeatures(), g.stopWatchingCurrentLocation());
    });
    const y = () => E();
    Se(
      () => g.errorMessage.value,
      () => u.value = !!g.errorMessage.value
    );
    const x = (R) => {
      R.key === "Escape" && s.value && (s.value = !1);
    }, E = () => {
      const R = g.getSavedFeatureValue() ?? "";
      h.value = !!R.length, n("save", R);
    }, v = () => {
      g.saveSelectedFeature(), E();
    }, m = () => {
      g.discardSavedFeature(), E();
    }, C = () => {
      if (g.confirmDeleteFeature()) {
        a.value = !0;
        return;
      }
      g.deleteVertex(), E();
    }, T = () => {
      g.deleteFeature(), a.value = !1, E();
    }, w = () => {
      g.undoLastChange(), E();
    }, b = (R) => {
      g.updateFeatureCoordinates(R), E();
    }, L = (R) => {
      g.updateVertexCoords(R), E();
    }, A = () => {
      s.value = !0, g.shouldShowMapOverlay() && g.watchCurrentLocation();
    }, P = () => {
      s.value = !s.value;
    };
    return (R, F) => (Q(), ft(nc, null, [
      k("div", dx, [
        k("div", {
          class: On({ "map-container": !0, "map-full-screen": s.value })
        }, [
          k("div", {
            ref_key: "mapElement",
            ref: r,
            class: "map-block"
          }, [
            s.value ? yt("", !0) : (Q(), ft("div", {
              key: 0,
              class: "map-overlay full-screen-overlay",
              onClick: A
            })),
            J(g).shouldShowMapOverlay() ? (Q(), ft("div", gx, [
              ct(J(Ne), {
                severity: "secondary",
                outlined: "",
                class: "close-full-screen",
                onClick: F[0] || (F[0] = (O) => s.value = !1)
              }, {
                default: $t(() => [
                  ct(kt, {
                    name: "mdiClose",
                    size: "sm"
                  })
                ]),
                _: 1
              }),
              ct(J(Ne), {
                outlined: "",
                severity: "contrast",
                onClick: J(g).watchCurrentLocation
              }, {
                default: $t(() => [
                  ct(kt, { name: "mdiCrosshairsGps" }),
                  F[6] || (F[6] = k("span", null, "Get location", -1))
                ]),
                _: 1
              }, 8, ["onClick"])
            ])) : yt("", !0),
            ct(Tg, {
              "is-full-screen": s.value,
              "disable-fit-all-features": J(g).isMapEmpty(),
              "disable-undo": !J(g).canUndoChange(),
              "disable-delete": !J(g).isFeatureSelected(),
              "show-secondary-controls": p.value,
              onToggleFullScreen: P,
              onFitAllFeatures: J(g).fitToAllFeatures,
              onWatchCurrentLocation: J(g).watchCurrentLocation,
              onTriggerDelete: C,
              onUndoLastChange: w
            }, null, 8, ["is-full-screen", "disable-fit-all-features", "disable-undo", "disable-delete", "show-secondary-controls", "onFitAllFeatures", "onWatchCurrentLocation"]),
            _.value ? (Q(), ee(J(ed), {
              key: 2,
              severity: "contrast",
              closable: "",
              size: "small",
              class: On({ "map-message": !0, "above-secondary-controls": s.value && p.value })
            }, {
              default: $t(() => [
                h.value ? (Q(), ft("span", fx, Ce(_.value.placed), 1)) : (Q(), ft("span", _x, Ce(_.value.default), 1))
              ]),
              _: 1
            }, 8, ["class"])) : yt("", !0)
          ], 512),
          ct(ix, {
            "can-open-advanced-panel": !i.disabled && J(g).canOpenAdvancedPanel(),
            "can-remove": !i.disabled && J(g).canRemoveCurrentLocation(),
            "can-view-details": J(g).canViewProperties(),
            "single-feature-type": i.singleFeatureType,
            "is-capturing": J(g).currentState.value === J(Wt).CAPTURING,
            "is-full-screen": s.value,
            "saved-feature-value": i.savedFeatureValue,
            "selected-vertex": c.value,
            class: "map-status-bar-component",
            onDiscard: m,
            onViewDetails: J(g).selectSavedFeature,
            onToggleAdvancedPanel: F[1] || (F[1] = (O) => o.value = !o.value)
          }, null, 8, ["can-open-advanced-panel", "can-remove", "can-view-details", "single-feature-type", "is-capturing", "is-full-screen", "saved-feature-value", "selected-vertex", "onViewDetails"]),
          !i.disabled && J(g).canOpenAdvancedPanel() ? (Q(), ee(dg, {
            key: 0,
            "is-open": o.value,
            coordinates: f.value,
            onOpenPasteDialog: F[2] || (F[2] = (O) => l.value = !0),
            onSave: L
          }, null, 8, ["is-open", "coordinates"])) : yt("", !0),
          J(g).canViewProperties() ? (Q(), ee(qy, {
            key: 1,
            "can-remove": !i.disabled,
            "can-save": !i.disabled,
            "is-saved-feature-selected": J(g).isSavedFeatureSelected(),
            "ordered-extra-props": i.orderedExtraProps,
            "reserved-props": J(g).getSelectedFeatureProperties(),
            onClose: J(g).unselectFeature,
            onDiscard: m,
            onSave: v
          }, null, 8, ["can-remove", "can-save", "is-saved-feature-selected", "ordered-extra-props", "reserved-props", "onClose"])) : yt("", !0)
        ], 2),
        J(g).errorMessage.value && (!s.value || u.value) ? (Q(), ft("div", {
          key: 0,
          class: On(["map-block-error", { "stack-errors": J(d) && !s.value, "top-position": s.value }])
        }, [
          k("div", px, [
            k("strong", null, Ce(J(g).errorMessage.value.title), 1),
            F[7] || (F[7] = nd("   ", -1)),
            k("span", null, Ce(J(g).errorMessage.value.message), 1)
          ]),
          s.value ? (Q(), ee(kt, {
            key: 0,
            class: "clear-error",
            name: "mdiClose",
            variant: "error",
            size: "sm",
            onClick: F[3] || (F[3] = (O) => u.value = !1)
          })) : yt("", !0)
        ], 2)) : yt("", !0)
      ]),
      ct(mg, {
        visible: a.value,
        "onUpdate:visible": F[4] || (F[4] = (O) => a.value = O),
        "single-feature-type": i.singleFeatureType,
        onDeleteFeature: T
      }, null, 8, ["visible", "single-feature-type"]),
      ct(ux, {
        visible: l.value,
        "onUpdate:visible": F[5] || (F[5] = (O) => l.value = O),
        "single-feature-type": i.singleFeatureType,
        onSave: b
      }, null, 8, ["visible", "single-feature-type"])
    ], 64));
  }
}), xx = /* @__PURE__ */ Mi(mx, [["__scopeId", "data-v-89330403"]]);
export {
  xx as default
};

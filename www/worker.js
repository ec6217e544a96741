// The render worker: everything slow happens here, off the page's main
// thread, so typing never waits for a multi-megabyte render or decode.
//
// Messages in:  { id, type: "render", source, options }
//               { id, type: "decode", bytes: ArrayBuffer (transferred) }
// Messages out: { id, type: "ready", version }              (once, id 0)
//               { id, type: "rendered", rendered (without html), chunks, ms }
//               { id, type: "decoded", text, encoding, guessed }
//               { id, type: "error", name, message }
import init, { loadTransliterator, render, version } from "../pkg/article_render.js";

const ready = init().then(
  () => postMessage({ id: 0, type: "ready", version: version() }),
  (error) => {
    postMessage({ id: 0, type: "error", name: "InitError", message: String(error?.message ?? error) });
    throw error;
  },
);

// Zola's transliteration, once asked for: resolves to whether it loaded.
let transliterator = null;

self.onmessage = async ({ data }) => {
  const { id, type } = data;
  try {
    if (type === "decode") {
      postMessage({ id, type: "decoded", ...decode(new Uint8Array(data.bytes)) });
      return;
    }
    await ready;
    if (type === "render") {
      const start = performance.now();
      let rendered = render(data.source, data.options);
      // Zola's ids of headings in other scripts need the transliterator, a
      // second wasm module fetched only for such a document; if it cannot
      // be fetched, the first result stands with its warning.
      if (rendered.diagnostics.some((d) => d.code === "outline.not-transliterated")) {
        transliterator ??= loadTransliterator().then(() => true, () => false);
        if (await transliterator) rendered = render(data.source, data.options);
      }
      const ms = performance.now() - start;
      // The body travels once, as the slices the page inserts one by one.
      const chunks = splitTopLevel(rendered.html);
      delete rendered.html;
      postMessage({ id, type: "rendered", rendered, chunks, ms });
    }
  } catch (error) {
    // Only invalid options throw (a TypeError); the page shows the message.
    postMessage({ id, type: "error", name: error?.name ?? "Error", message: String(error?.message ?? error) });
  }
};

// ---------------------------------------------------------------------------
// Splitting the sanitized HTML into top-level pieces of about `size`
// characters, so the page can insert a 5 MB article a piece at a time and
// stay responsive. The input is the sanitizer's own serialization: text has
// `<` escaped, there are no raw-text elements (script, style) and every
// element is closed, so counting tags (quotes respected) finds the depth.
const VOID = new Set([
  "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
]);

export function splitTopLevel(html, size = 16 * 1024) {
  if (html.length <= size) return [html];
  const chunks = [];
  let start = 0;
  let depth = 0;
  let at = 0;
  while (at < html.length) {
    const open = html.indexOf("<", at);
    if (open < 0) break;
    if (html.startsWith("<!--", open)) {
      const end = html.indexOf("-->", open + 4);
      at = end < 0 ? html.length : end + 3;
      continue;
    }
    let quote = "";
    let close = open + 1;
    for (; close < html.length; close++) {
      const c = html[close];
      if (quote) {
        if (c === quote) quote = "";
      } else if (c === '"' || c === "'") {
        quote = c;
      } else if (c === ">") {
        break;
      }
    }
    at = close + 1;
    const name = /^<(\/?)([A-Za-z][A-Za-z0-9-]*)/.exec(html.slice(open, open + 40));
    if (!name) continue;
    if (name[1]) depth = Math.max(0, depth - 1);
    else if (!VOID.has(name[2].toLowerCase()) && html[close - 1] !== "/") depth += 1;
    if (depth === 0 && at - start >= size) {
      chunks.push(html.slice(start, at));
      start = at;
    }
  }
  if (start < html.length) chunks.push(html.slice(start));
  return chunks;
}

// ---------------------------------------------------------------------------
// Bytes to text. A byte order mark decides; then strict UTF-8; then the best
// of the legacy CJK encodings, judged by how much of the text is replacement
// characters and how much is the everyday vocabulary of the language that
// encoding is for (a wrong guess decodes into rare characters, not common
// ones).
const COMMON_HAN =
  "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开但因只从想实日军者意无力它与长把机十民第公此已工使情明性知全三又关点正业外将两高间由问很最重并物手应战向头文体政美相见被利什二等产或新己制身果加西斯月话合回特代内信表化老给世位次度门任常先海通教儿原东声提立及比员解水名真论处走义各入几口认条平系气题活尔更别打女变四神总何电数安少报才结反受目太量再感建务做接必场件计管期市直德资命山金指克许统区保至队形社便空决治展马科司五基眼书非则听白却界达光放强即像难且权思王象完设式色路记南品住告类求据程北边死张该交规万取拉格望觉术领共确传师观清今切院让识候带导争运笑飞风步改收根干造言联持组每济车亲极林服快办议往元英士证近失转夫令准布始怎呢存未远叫台单影具罗字爱击流备兵连调深商算质团集百需价花党华城石级整府离况亚请技际约示复病息究线似官火断精满支视消越器容照须九增研写称企八功吗包片史委乎查轻易早曾除农找装广显吧阿李标谈吃图念六引历首医局突专费号尽另周较注语仅考落青随选列武红响虽推势参希古众构房半节土投某案黑维革划敌致陈律足态护七兴派孩验责营星够章音跟志底站严巴例防族供效续施留讲型料终答紧黄绝奇察母京段依批群项故按河米围江织害斗双境客纪采举杀攻父苏密低朝友诉止细愿千值仍男钱破网热助倒育属坐帝限船脸职速刻乐否刚威毛状率甚独球般普怕弹校苦创假久错承印晚兰试股拿脑预谁益阳若哪微尼继送急血惊伤素药适波夜省初喜卫源食险待述陆习置居劳财环排福纳欢雷警获模充负云停木游龙树疑层冷洲冲射略范竟句室异激汉村哈策演简卡罪判担州静退既衣您宗积余痛检差富灵协角占配征修皮挥胜降阶审沉坚善妈刘读啊超免压银买皇养伊怀执副乱抗犯追帮宣佛岁航优怪香著田铁控税左右份穿艺背阵草脚概恶块顿敢守酒岛托央户烈洋哥索胡款靠评版宝座释景顾弟登货互付伯慢欧换闻危忙核暗姐介坏讨丽良序升监临亮露永呼味野架域沙掉括舰鱼杂误湾吉减编楚肯测败屋跑梦散温困剑渐封救贵枪缺楼县尚毫移娘朋画班智亦耳恩短掌恐遗固席松秘谢鲁遇康虑幸均销钟诗藏赶剧票损忽巨炮旧端探湖录叶春乡附吸予礼港雨呀板庭妇归睛饭额含顺输摇招婚脱补谓督毒油疗旅泽材灭逐莫笔亡鲜词圣择寻厂睡博勒烟授诺伦岸奥唐卖俄炸载洛健堂旁宫喝借君禁阴园谋宋避抓荣姑孙逃牙束跳顶玉镇雪午练迫爷篇肉嘴馆遍凡础洞卷坦牛宁纸诸训私庄祖丝翻暴森塔默握戏隐熟骨访弱蒙歌店鬼软典欲萨伙遭盘爸扩盖弄雄稳忘亿刺拥徒姆杨齐赛趣曲刀床迎冰虚玩析窗醒妻透购替塞努休虎扬途侵刑绿兄迅套贸毕唯谷轮库迹尤竞街促延震弃甲伟麻川申缓潜闪售灯针哲络抵朱埃抱鼓植纯夏忍页杰筑折郑贝尊吴秀混臣雅振染盛怒舞圆搞狂措姓残秋培迷诚宽宇猛摆梅毁伸摩盟末乃悲拍丁赵"
  // and the same words in traditional characters
  + "這個們來為國說時會對發後裏經麼學現當沒動進還從實軍無與長機問頭體間覺總電數報結見開歲記種點讓業專產務區應將兩聽關變義氣計";
const COMMON_KANA = "のにはをたがでてとしれさいうかなるあもっすこ";
const COMMON_HANGUL = "이다는의에가을를고하한지서로기사으도리대자수있정시인아어나해전게그일구부주제요상국보장";
const commonHan = new Set(COMMON_HAN);
const commonKana = new Set(COMMON_KANA);
const commonHangul = new Set(COMMON_HANGUL);

const CANDIDATES = ["gb18030", "big5", "shift_jis", "euc-kr"];
const NAMES = { "utf-8": "UTF-8", "utf-16le": "UTF-16LE", "utf-16be": "UTF-16BE", gb18030: "GB18030", gbk: "GB18030", big5: "Big5", shift_jis: "Shift_JIS", "euc-kr": "EUC-KR" };

export function decode(bytes) {
  // 1. A byte order mark is authoritative.
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return result("utf-8", bytes, false);
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return result("utf-16le", bytes, false);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return result("utf-16be", bytes, false);
  // 2. Strict UTF-8: valid UTF-8 that is really something else is vanishingly rare.
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes), encoding: "UTF-8", guessed: false };
  } catch {
    // not UTF-8
  }
  // UTF-16 without a BOM shows itself by NUL bytes in every other position.
  const nul = nulPattern(bytes);
  if (nul) return result(nul, bytes, true);
  // 3. The candidate with the best score on a sample wins.
  const sample = bytes.subarray(0, 256 * 1024);
  let best = null;
  for (const label of CANDIDATES) {
    const s = score(new TextDecoder(label).decode(sample));
    if (!best || s > best.score) best = { label, score: s };
  }
  return result(best.label, bytes, true);
}

function result(label, bytes, guessed) {
  return { text: new TextDecoder(label).decode(bytes), encoding: NAMES[label] ?? label, guessed };
}

function nulPattern(bytes) {
  const n = Math.min(bytes.length, 4096) & ~1;
  if (n < 8) return null;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) even++;
    if (bytes[i + 1] === 0) odd++;
  }
  if (odd > n / 6 && even < n / 60) return "utf-16le";
  if (even > n / 6 && odd < n / 60) return "utf-16be";
  return null;
}

function score(text) {
  let replacement = 0;
  let common = 0;
  let letters = 0;
  let halfwidth = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0);
    if (c === 0xfffd) replacement++;
    else if (c >= 0xff61 && c <= 0xff9f) halfwidth++;
    else if (c >= 0x4e00 && c <= 0x9fff) {
      letters++;
      if (commonHan.has(ch)) common++;
    } else if (c >= 0x3040 && c <= 0x30ff) {
      letters++;
      if (commonKana.has(ch)) common++;
    } else if (c >= 0xac00 && c <= 0xd7a3) {
      letters++;
      if (commonHangul.has(ch)) common++;
    }
  }
  return common * 4 + letters - replacement * 12 - halfwidth * 3;
}

// tr46 (UTS #46 processing) with its 250 KB mapping table evaluated on first need. The URL parser calls toASCII
// for every host with UseSTD3ASCIIRules, CheckHyphens and VerifyDnsLength off; UTS #46 then maps an ASCII domain
// to its lower case and finds no error in it, unless a label is punycode ("xn--"), which the full tr46 decodes
// and validates. So ASCII domains without punycode labels, nearly every URL a function parses, skip the table.
'use strict';

let full;

function tr46() {
  if (full === undefined) {
    full = require('../node_modules/tr46/index.js');
  }
  return full;
}

exports.toASCII = (domain, options) => {
  if (!options.useSTD3ASCIIRules && !options.checkHyphens && !options.verifyDNSLength
      && /^[\x00-\x7f]*$/.test(domain) && !/(^|\.)xn--/i.test(domain)) {
    return domain.toLowerCase();
  }
  return tr46().toASCII(domain, options);
};

exports.toUnicode = (domain, options) => tr46().toUnicode(domain, options);

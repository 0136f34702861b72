// The rest of the console API (table, dir, time, count, group...): a part of the Web platform APIs of cs-web.js,
// evaluated in a context when its function first uses one of the console's methods it adds (from a Source the engine
// parses once); `web` is what cs-web.js shares with its parts.
(function installWebPart(web) {
  'use strict';

  const { ErrorType, MapType, defineProperty, host, jsonStringify, objectKeys, rt } = web;

  // ---------------------------------------------------------------------------------------------------------
  // console, complete.
  // ---------------------------------------------------------------------------------------------------------

  {
    const console = rt.console;
    const counts = new MapType();
    const started = new MapType();
    let indent = '';
    // A group's lines are indented by two spaces per level (write joins the arguments with one).
    const at = (level, args) => rt.write(level, indent === '' ? args : [indent.slice(1), ...args]);
    const label = (value) => (value === undefined ? 'default' : String(value));
    const methods = {
      log: (...args) => at('info', args),
      info: (...args) => at('info', args),
      warn: (...args) => at('warn', args),
      error: (...args) => at('error', args),
      debug: (...args) => at('debug', args),
      trace: (...args) => {
        const stack = new ErrorType().stack || '';
        at('debug', ['Trace:', ...args, '\n' + stack.split('\n').slice(2).join('\n')]);
      },
      dir: (value) => at('info', [value]),
      dirxml: (...args) => at('info', args),
      table: (data) => at('info', [tableOf(data)]),
      assert: (condition, ...args) => {
        if (!condition) {
          at('error', ['Assertion failed' + (args.length ? ':' : ''), ...args]);
        }
      },
      count: (name) => {
        const key = label(name);
        const n = (counts.get(key) || 0) + 1;
        counts.set(key, n);
        at('info', [key + ': ' + n]);
      },
      countReset: (name) => counts.delete(label(name)),
      time: (name) => started.set(label(name), host.monotonicMs()),
      timeLog: (name, ...args) => {
        const key = label(name);
        if (started.has(key)) {
          at('info', [key + ': ' + (host.monotonicMs() - started.get(key)).toFixed(0) + 'ms', ...args]);
        } else {
          at('warn', ['Timer "' + key + '" does not exist']);
        }
      },
      timeEnd: (name) => {
        const key = label(name);
        if (started.has(key)) {
          at('info', [key + ': ' + (host.monotonicMs() - started.get(key)).toFixed(0) + 'ms']);
          started.delete(key);
        } else {
          at('warn', ['Timer "' + key + '" does not exist']);
        }
      },
      group: (...args) => {
        if (args.length) {
          at('info', args);
        }
        indent += '  ';
      },
      groupEnd: () => {
        indent = indent.slice(2);
      },
    };
    methods.groupCollapsed = methods.group;
    const names = objectKeys(methods);
    for (let i = 0; i < names.length; i++) {
      defineProperty(console, names[i], { value: methods[names[i]], writable: true, enumerable: true,
        configurable: true });
    }
  }

  // console.table as text: one line per row, columns separated by " | ".
  function tableOf(data) {
    if (data === null || typeof data !== 'object') {
      return data;
    }
    const rows = objectKeys(data);
    const columns = [];
    for (let i = 0; i < rows.length; i++) {
      const row = data[rows[i]];
      if (row !== null && typeof row === 'object') {
        const keys = objectKeys(row);
        for (let j = 0; j < keys.length; j++) {
          if (columns.indexOf(keys[j]) < 0) {
            columns.push(keys[j]);
          }
        }
      }
    }
    const show = (v) => (typeof v === 'string' ? v : jsonStringify(v) === undefined ? String(v) : jsonStringify(v));
    const lines = ['(index) | ' + (columns.length ? columns.join(' | ') : 'Values')];
    for (let i = 0; i < rows.length; i++) {
      const row = data[rows[i]];
      const cells = columns.length && row !== null && typeof row === 'object'
        ? columns.map((c) => (c in row ? show(row[c]) : ''))
        : [show(row)];
      lines.push(rows[i] + ' | ' + cells.join(' | '));
    }
    return lines.join('\n');
  }
})

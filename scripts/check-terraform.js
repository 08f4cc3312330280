// Checks terraform/ offline against the google and google-beta providers' own schemas: every
// resource and data source type exists, every attribute and block is one the provider knows,
// every required one is set, every variable has a type and a description, every output a
// description, and every module call passes known inputs and all required ones. The schemas come
// from the .jsii files of the npm packages @cdktf/provider-google(-beta), which describe every
// resource's attributes; .tf files are read with @cdktf/hcl2json. Run by scripts/check-terraform.
'use strict';
const fs = require('fs');
const path = require('path');

const modulesDir = path.resolve(process.argv[2]);
const tfRoot = path.resolve(process.argv[3]);
const { parse } = require(path.join(modulesDir, '@cdktf/hcl2json'));
const META = new Set(['count', 'for_each', 'provider', 'depends_on', 'lifecycle', 'provisioner', 'connection']);

function loadSchemas(pkg) {
  const jsii = JSON.parse(fs.readFileSync(path.join(modulesDir, pkg, '.jsii'), 'utf8'));
  const byTfType = new Map();
  const link = /registry\.terraform\.io\/providers\/hashicorp\/google(?:-beta)?\/[^ ]+\/docs\/(resources|data-sources)\/[a-z0-9_]+ (google_[a-z0-9_]+)\}/;
  for (const [fqn, t] of Object.entries(jsii.types)) {
    if (t.kind !== 'class' || !t.docs || !t.docs.summary) continue;
    const m = link.exec(t.docs.summary);
    if (!m) continue;
    const kind = m[1] === 'resources' ? 'resource' : 'data';
    byTfType.set(kind + ' ' + m[2], fqn + 'Config');
  }
  return { types: jsii.types, byTfType };
}

const google = loadSchemas('@cdktf/provider-google');
const beta = loadSchemas('@cdktf/provider-google-beta');

const camel = (s) => s.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());

function properties(types, fqn) {
  const t = types[fqn];
  if (!t) return null;
  let props = [...(t.properties || [])];
  for (const i of t.interfaces || []) {
    const inherited = properties(types, i);
    if (inherited) props = props.concat(inherited);
  }
  return props;
}

/** The struct a block's property holds (directly, in a list, or in a union), or null. */
function structOf(type) {
  if (!type) return null;
  if (type.fqn && !type.fqn.startsWith('cdktf.')) return type.fqn;
  if (type.collection) return structOf(type.collection.elementtype);
  if (type.union) {
    for (const u of type.union.types) {
      const s = structOf(u);
      if (s) return s;
    }
  }
  return null;
}

const problems = [];

function checkBlock(schemas, fqn, body, where) {
  const props = properties(schemas.types, fqn);
  if (!props) {
    problems.push(`${where}: no schema ${fqn}`);
    return;
  }
  const byName = new Map(props.map((p) => [p.name, p]));
  for (const [key, value] of Object.entries(body)) {
    if (META.has(key)) continue;
    const p = byName.get(camel(key));
    if (!p) {
      problems.push(`${where}: unknown attribute or block "${key}"`);
      continue;
    }
    const isBlock = Array.isArray(value) && value.length > 0 && value.every((v) => v && typeof v === 'object' && !Array.isArray(v));
    if (isBlock) {
      const struct = structOf(p.type);
      if (!struct) {
        problems.push(`${where}: "${key}" is an attribute, not a block`);
        continue;
      }
      value.forEach((v, i) => checkBlock(schemas, struct, v, `${where}.${key}[${i}]`));
    }
  }
  for (const p of props) {
    if (!p.optional && !p.name.match(/^(connection|count|dependsOn|forEach|lifecycle|provider|provisioners)$/)) {
      const snake = p.name.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());
      if (!(snake in body)) problems.push(`${where}: required "${snake}" is missing`);
    }
  }
}

function tfFiles(dir) {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.tf')).map((f) => path.join(dir, f));
}

async function parseDir(dir) {
  const merged = { resource: {}, data: {}, variable: {}, output: {}, module: {} };
  for (const file of tfFiles(dir)) {
    const json = await parse(file, fs.readFileSync(file, 'utf8'));
    for (const section of Object.keys(merged)) {
      for (const [k, v] of Object.entries(json[section] || {})) {
        // resource and data: type -> name -> [body]; variable, output, module: name -> [body]
        merged[section][k] =
          section === 'resource' || section === 'data' ? Object.assign(merged[section][k] || {}, v) : v;
      }
    }
  }
  return merged;
}

async function checkModule(dir) {
  const rel = path.relative(tfRoot, dir) || '.';
  const m = await parseDir(dir);
  for (const kind of ['resource', 'data']) {
    for (const [type, named] of Object.entries(m[kind])) {
      for (const [name, blocks] of Object.entries(named)) {
        for (const body of blocks) {
          const schemas = String(body.provider || '').includes('google-beta') ? beta : google;
          const fqn = schemas.byTfType.get(kind + ' ' + type);
          const where = `${rel}: ${kind === 'data' ? 'data.' : ''}${type}.${name}`;
          if (!fqn) {
            problems.push(`${where}: no such ${kind === 'data' ? 'data source' : 'resource'} in the provider`);
            continue;
          }
          checkBlock(schemas, fqn, body, where);
        }
      }
    }
  }
  for (const [name, blocks] of Object.entries(m.variable)) {
    for (const v of blocks) {
      if (!v.type) problems.push(`${rel}: variable "${name}" has no type`);
      if (!v.description) problems.push(`${rel}: variable "${name}" has no description`);
    }
  }
  for (const [name, blocks] of Object.entries(m.output)) {
    for (const o of blocks) {
      if (!o.description) problems.push(`${rel}: output "${name}" has no description`);
    }
  }
  for (const [name, blocks] of Object.entries(m.module)) {
    for (const call of blocks) {
      const target = path.resolve(dir, call.source);
      const inputs = (await parseDir(target)).variable;
      for (const key of Object.keys(call)) {
        if (['source', 'version', 'providers', 'count', 'for_each', 'depends_on'].includes(key)) continue;
        if (!(key in inputs)) problems.push(`${rel}: module "${name}" has no input "${key}"`);
      }
      for (const [input, defs] of Object.entries(inputs)) {
        if (defs.every((d) => !('default' in d)) && !(input in call)) {
          problems.push(`${rel}: module "${name}" needs input "${input}"`);
        }
      }
    }
  }
  return Object.keys(m.resource).length + Object.keys(m.data).length;
}

(async () => {
  const dirs = [tfRoot];
  const examples = path.join(tfRoot, 'examples');
  if (fs.existsSync(examples)) {
    for (const e of fs.readdirSync(examples)) dirs.push(path.join(examples, e));
  }
  let types = 0;
  for (const d of dirs) types += await checkModule(d);
  if (problems.length) {
    console.error(problems.map((p) => 'terraform: ' + p).join('\n'));
    process.exit(1);
  }
  console.log(`terraform: ${dirs.length} modules, ${types} resource and data types, all known to the providers`);
})().catch((e) => {
  console.error(e);
  process.exit(2);
});

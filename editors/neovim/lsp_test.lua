-- The language server tested through Neovim's own LSP client, headless:
-- `hybridc lsp` is started on a copy of an example folder and every check
-- looks at what the editor ends up with (its diagnostics, its buffers, the
-- file it jumped to). Run by .ci/run:
--
--   HYBRIDC=target/debug/hybridc WORKDIR=<copy of examples/shop> \
--     nvim --headless --clean -c 'luafile editors/neovim/lsp_test.lua'
--
-- Exits non-zero, with a message, on the first failed check. Works with
-- Neovim 0.7 (Debian 12) and later.

local TIMEOUT = 15000
local hybridc = assert(os.getenv('HYBRIDC'), 'HYBRIDC: the hybridc binary')
local dir = assert(os.getenv('WORKDIR'), 'WORKDIR: a copy of examples/shop')

local function fail(msg)
  io.stderr:write('lsp_test.lua: FAILED: ' .. msg .. '\n')
  vim.cmd('cquit 1')
end

local function check(ok, msg)
  if not ok then fail(msg) end
end

local function ok(msg)
  io.stdout:write('ok: ' .. msg .. '\n')
end

-- Any Lua error is a failure too.
local function run(main)
  local success, err = xpcall(main, debug.traceback)
  if not success then fail(tostring(err)) end
end

-- The 0-based line of the first line of `buf` containing `needle` (plain).
local function find_line(buf, needle)
  for i, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    local col = line:find(needle, 1, true)
    if col then return i - 1, col - 1, line end
  end
  fail('no line holds `' .. needle .. '`')
end

local function request(buf, method, params)
  local answers, err = vim.lsp.buf_request_sync(buf, method, params, TIMEOUT)
  check(answers ~= nil, method .. ': no answer (' .. tostring(err) .. ')')
  for _, answer in pairs(answers) do
    check(answer.error == nil, method .. ': ' .. vim.inspect(answer.error))
    return answer.result
  end
  fail(method .. ': no answer')
end

local function at(buf, line, character)
  return { textDocument = { uri = vim.uri_from_bufnr(buf) }, position = { line = line, character = character } }
end

-- The version of each file's last diagnostics, as published.
local published = {}
local function on_publish(err, result, ctx, config)
  if result then published[result.uri] = result.version end
  return vim.lsp.handlers['textDocument/publishDiagnostics'](err, result, ctx, config)
end

-- Waits until the diagnostics of `buf` are those of its current text.
local function settle(buf)
  local uri = vim.uri_from_bufnr(buf)
  check(vim.wait(TIMEOUT, function() return published[uri] == vim.lsp.util.buf_versions[buf] end),
    'no diagnostics for the current text of ' .. uri)
end

local function set_line(buf, line, text)
  vim.api.nvim_buf_set_lines(buf, line, line + 1, false, { text })
end

run(function()
  vim.cmd('edit ' .. dir .. '/services.hybrid')
  local services = vim.api.nvim_get_current_buf()
  local id = vim.lsp.start_client({
    name = 'hybridc',
    cmd = { hybridc, 'lsp' },
    root_dir = dir,
    handlers = { ['textDocument/publishDiagnostics'] = on_publish },
  })
  check(id ~= nil, 'the client did not start `' .. hybridc .. ' lsp`')
  vim.lsp.buf_attach_client(services, id)
  check(vim.wait(TIMEOUT, function()
    local c = vim.lsp.get_client_by_id(id)
    return c ~= nil and c.initialized
  end), 'the server did not answer `initialize`')
  ok('initialized')

  -- Diagnostics of a broken line: its code, on its line; cleared when fixed.
  local line, _, original = find_line(services, 'placement shop-a shop-b')
  set_line(services, line, (original:gsub('placement', 'placment')))
  local function has_code(code, lnum)
    for _, d in ipairs(vim.diagnostic.get(services)) do
      if d.code == code and d.lnum == lnum then return true end
    end
    return false
  end
  check(vim.wait(TIMEOUT, function() return has_code('HY0002', line) end),
    'no HY0002 on line ' .. (line + 1) .. ': ' .. vim.inspect(vim.diagnostic.get(services)))
  ok('HY0002 shown on line ' .. (line + 1))
  set_line(services, line, original)
  settle(services)
  check(#vim.diagnostic.get(services) == 0, 'diagnostics not cleared: ' .. vim.inspect(vim.diagnostic.get(services)))
  ok('diagnostics cleared once fixed')

  -- Hover on a node name: its reference entry.
  local l, c = find_line(services, 'autoscale min=')
  local hover = request(services, 'textDocument/hover', at(services, l, c + 2))
  check(hover and hover.contents.value:find('autoscale', 1, true), 'hover: ' .. vim.inspect(hover))
  ok('hover shows the schema of `autoscale`')

  -- Completion of a property and of a reference.
  l, c = find_line(services, 'port 8080 protocol=http name=web')
  set_line(services, l, '  port 8080 pro')
  local items = request(services, 'textDocument/completion', at(services, l, #'  port 8080 pro'))
  local labels = {}
  for _, item in ipairs(items.items or items) do labels[item.label] = true end
  check(labels['protocol='], 'completion of a property: ' .. vim.inspect(vim.tbl_keys(labels)))
  set_line(services, l, '  placement ')
  items = request(services, 'textDocument/completion', at(services, l, #'  placement '))
  labels = {}
  for _, item in ipairs(items.items or items) do labels[item.label] = true end
  check(labels['shop-a'] and labels['shop-b'], 'completion of a reference: ' .. vim.inspect(vim.tbl_keys(labels)))
  set_line(services, l, '  port 8080 protocol=http name=web')
  settle(services)
  ok('completion offers `protocol=` and the clusters')

  -- Go to definition lands in the other file, on the cluster's name.
  l, c = find_line(services, 'placement shop-a')
  local def = request(services, 'textDocument/definition', at(services, l, c + #'placement '))
  check(def ~= nil, 'definition: no location')
  local location = def[1] or def
  if vim.lsp.util.show_document then -- 0.8 and later
    vim.lsp.util.show_document(location, 'utf-16', { focus = true })
  else
    vim.lsp.util.jump_to_location(location, 'utf-16')
  end
  local here = vim.api.nvim_buf_get_name(0)
  check(here:sub(-#'sites.hybrid') == 'sites.hybrid', 'definition opened ' .. here)
  local sites = vim.api.nvim_get_current_buf()
  local cursor = vim.api.nvim_win_get_cursor(0)
  local text = vim.api.nvim_buf_get_lines(sites, cursor[1] - 1, cursor[1], false)[1]
  check(text:sub(cursor[2] + 1, cursor[2] + 6) == 'shop-a', 'definition landed on: ' .. text)
  ok('definition jumps to sites.hybrid:' .. cursor[1])

  -- Rename across both files, applied to the buffers.
  vim.lsp.buf_attach_client(sites, id)
  settle(sites)
  local edit = request(sites, 'textDocument/rename', {
    textDocument = { uri = vim.uri_from_bufnr(sites) },
    position = { line = cursor[1] - 1, character = cursor[2] },
    newName = 'eu-a',
  })
  vim.lsp.util.apply_workspace_edit(edit, 'utf-16')
  check(find_line(sites, 'kubernetes eu-a'), 'rename: the declaration')
  check(find_line(services, 'placement eu-a shop-b'), 'rename: the references')
  settle(services)
  settle(sites)
  check(#vim.diagnostic.get(services) == 0 and #vim.diagnostic.get(sites) == 0,
    'the renamed program has diagnostics: ' .. vim.inspect(vim.diagnostic.get()))
  ok('rename applied to both buffers, the program still checks')

  -- Formatting lays a messy line out.
  l = find_line(sites, 'topology shop {')
  set_line(sites, l, 'topology    shop   {')
  local edits = request(sites, 'textDocument/formatting', {
    textDocument = { uri = vim.uri_from_bufnr(sites) },
    options = { tabSize = 2, insertSpaces = true },
  })
  vim.lsp.util.apply_text_edits(edits, sites, 'utf-16')
  check(vim.api.nvim_buf_get_lines(sites, l, l + 1, false)[1] == 'topology shop {', 'formatting: ' ..
    vim.api.nvim_buf_get_lines(sites, l, l + 1, false)[1])
  ok('formatting applied')

  vim.lsp.stop_client(id)
  vim.wait(2000, function() return vim.lsp.get_client_by_id(id) == nil end)
  io.stdout:write('lsp_test.lua: all checks passed\n')
  vim.cmd('qall!')
end)

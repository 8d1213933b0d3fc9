-- Headless Neovim (0.7+) as an independent LSP client for servelint's language server.
-- Driven by test/e2e/neovim.e2e.mjs, which writes the plan to $PLAN (JSON) and asserts on what this
-- script writes to $OUT (JSON). This script only observes and records; it does not judge.
-- Run: PLAN=plan.json OUT=result.json timeout 60 nvim --headless -u NONE -i NONE -n -c "luafile neovim-lsp.lua"

local plan = vim.fn.json_decode(table.concat(vim.fn.readfile(os.getenv('PLAN')), '\n'))
local out = { events = {}, nvim = tostring(vim.version().major) .. '.' .. tostring(vim.version().minor) .. '.' .. tostring(vim.version().patch) }
local t0 = vim.loop.hrtime()
local function ms() return math.floor((vim.loop.hrtime() - t0) / 1e6) end
local function write_out()
  vim.fn.writefile({ vim.fn.json_encode(out) }, os.getenv('OUT'))
end
-- Written after every step, so a run killed by `timeout` still shows how far it got.
local function event(name, data) table.insert(out.events, { t = ms(), name = name, data = data }); pcall(write_out) end

-- Raw LSP diagnostics exactly as pushed by the server (plus a counter so we can wait for a *new* push).
local raw = { diagnostics = {}, pushes = 0, exited = false }
local client_id

local function lsp_diags()
  local list = {}
  for _, d in ipairs(raw.diagnostics) do
    table.insert(list, { line = d.range.start.line, character = d.range.start.character,
      code = d.code ~= nil and tostring(d.code) or nil, source = d.source, message = d.message, severity = d.severity })
  end
  return list
end

local function vim_diags(bufnr)
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(list, { lnum = d.lnum, col = d.col, code = d.code ~= nil and tostring(d.code) or nil, message = d.message })
  end
  return list
end

local function has_code(code)
  for _, d in ipairs(raw.diagnostics) do if tostring(d.code) == code then return d end end
  return nil
end

local function flatten_hover(contents)
  if contents == nil or contents == vim.NIL then return '' end
  local lines = vim.lsp.util.convert_input_to_markdown_lines(contents)
  return table.concat(lines, '\n')
end

local function main()
  vim.cmd('edit ' .. vim.fn.fnameescape(plan.file))
  local bufnr = vim.api.nvim_get_current_buf()
  vim.bo[bufnr].filetype = 'yaml'
  local uri = vim.uri_from_bufnr(bufnr)

  client_id = vim.lsp.start_client({
    name = 'servelint',
    cmd = plan.server_cmd,
    cmd_env = plan.server_env ~= vim.NIL and plan.server_env or nil,
    root_dir = plan.root_dir,
    settings = {},
    handlers = {
      ['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
        if result and result.uri == uri then
          raw.diagnostics = result.diagnostics or {}
          raw.pushes = raw.pushes + 1
          event('publishDiagnostics', { count = #raw.diagnostics })
        end
        return vim.lsp.diagnostic.on_publish_diagnostics(err, result, ctx, config)
      end,
    },
    on_exit = function(code, signal) raw.exited = true; table.insert(out.events, { t = ms(), name = 'server-exit', data = { code = code, signal = signal } }) end,
  })
  if not client_id then error('vim.lsp.start_client returned nil (cmd: ' .. table.concat(plan.server_cmd, ' ') .. ')') end
  vim.lsp.buf_attach_client(bufnr, client_id)
  local client = vim.lsp.get_client_by_id(client_id)
  local T = plan.timeout_ms

  local function request(method, params)
    local res, err = client.request_sync(method, params, T, bufnr)
    if not res then error(method .. ' failed: ' .. tostring(err)) end
    if res.err then error(method .. ' error: ' .. vim.inspect(res.err)) end
    return res.result
  end

  local function lens_titles()
    local lenses = request('textDocument/codeLens', { textDocument = { uri = uri } }) or {}
    local titles, commands = {}, {}
    for _, l in ipairs(lenses) do
      if (l.command == nil or l.command == vim.NIL) and client.server_capabilities.codeLensProvider
        and client.server_capabilities.codeLensProvider.resolveProvider then
        l = request('codeLens/resolve', l) or l
      end
      if l.command and l.command ~= vim.NIL then
        table.insert(titles, l.command.title)
        table.insert(commands, { line = l.range.start.line, title = l.command.title, command = l.command.command })
      end
    end
    return titles, commands
  end

  -- Poll with plain requests (request_sync inside a vim.wait condition nests event loops and breaks
  -- vim.wait's own timeout in 0.7).
  local function wait_lens_change(before, marker)
    local last
    local deadline = vim.loop.hrtime() + T * 1e6
    while vim.loop.hrtime() < deadline do
      for _, t in ipairs((lens_titles())) do
        if t:find(marker, 1, true) then
          last = t
          if t ~= before then return true, last end
        end
      end
      vim.wait(300)
    end
    return false, last
  end

  -- 1. pushed diagnostics
  local ok = vim.wait(T, function() return raw.exited or (raw.pushes > 0 and has_code(plan.code) ~= nil) end, 50)
  if raw.exited then out.server_exited_early = true; ok = false end
  out.diagnostics = lsp_diags()
  out.vim_diagnostics = vim_diags(bufnr)
  event('diagnostics', { ok = ok })
  if not ok then return end

  -- 2. CodeLens (the server's own lenses; clicking is a VS Code concern)
  local _, commands = lens_titles()
  out.codelens = commands
  local lens_before
  for _, c in ipairs(commands) do if c.title:find(plan.lens_marker, 1, true) then lens_before = c.title end end
  event('codelens', { count = #commands })

  -- 3. hover on the `replicas` key
  local hover = request('textDocument/hover', { textDocument = { uri = uri }, position = plan.hover_position })
  out.hover = hover and flatten_hover(hover.contents) or ''
  event('hover', { chars = #out.hover })

  -- 4. code actions for the diagnostic, apply the preferred quick fix
  local diag = has_code(plan.code)
  local actions = request('textDocument/codeAction', { textDocument = { uri = uri }, range = diag.range,
    context = { diagnostics = { diag } } }) or {}
  out.code_actions = {}
  local chosen
  for _, a in ipairs(actions) do
    table.insert(out.code_actions, { title = a.title, kind = a.kind, isPreferred = a.isPreferred == true,
      hasEdit = a.edit ~= nil and a.edit ~= vim.NIL })
    if a.title and a.title:sub(1, #plan.fix_prefix) == plan.fix_prefix then
      if chosen == nil or (a.isPreferred == true and chosen.isPreferred ~= true) then chosen = a end
    end
  end
  if not chosen then event('no-matching-fix', {}); return end
  if (chosen.edit == nil or chosen.edit == vim.NIL) and client.server_capabilities.codeActionProvider
    and type(client.server_capabilities.codeActionProvider) == 'table' and client.server_capabilities.codeActionProvider.resolveProvider then
    chosen = request('codeAction/resolve', chosen) or chosen
  end
  out.applied_fix = chosen.title
  local pushes_before = raw.pushes
  if chosen.edit and chosen.edit ~= vim.NIL then
    vim.lsp.util.apply_workspace_edit(chosen.edit, client.offset_encoding)
  end
  if chosen.command and chosen.command ~= vim.NIL then
    local cmd = type(chosen.command) == 'table' and chosen.command or chosen
    request('workspace/executeCommand', { command = cmd.command, arguments = cmd.arguments })
  end
  out.lines_after_fix = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
  out.diagnostic_gone = vim.wait(T, function() return raw.pushes > pushes_before and has_code(plan.code) == nil end, 50)
  out.diagnostics_after_fix = lsp_diags()
  event('quickfix', { gone = out.diagnostic_gone })

  -- 5. edit the replicas value; the cost lens must change
  _, commands = lens_titles()
  for _, c in ipairs(commands) do if c.title:find(plan.lens_marker, 1, true) then lens_before = c.title end end
  out.lens_before_edit = lens_before
  local lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
  for i, l in ipairs(lines) do
    if l:find(plan.edit.lineContains, 1, true) then
      local s, e = l:find(plan.edit.lineContains, 1, true)
      local new = l:sub(1, s - 1) .. plan.edit.lineContains:gsub(vim.pesc(plan.edit.from) .. '$', plan.edit.to) .. l:sub(e + 1)
      vim.api.nvim_buf_set_lines(bufnr, i - 1, i, false, { new })
      out.edited_line = new
      break
    end
  end
  local changed, after = wait_lens_change(lens_before, plan.lens_marker)
  out.lens_after_edit, out.lens_changed_after_edit = after, changed
  event('edit', { changed = changed })

  -- 6. change the GPU price setting; the server pulls it (workspace/configuration) or reads the push
  client.config.settings = plan.settings
  client.notify('workspace/didChangeConfiguration', { settings = plan.settings })
  changed, out.lens_after_setting = wait_lens_change(after, plan.lens_marker)
  out.lens_before_setting, out.lens_changed_after_setting = after, changed
  event('setting', { changed = changed })
end

local ok, err = xpcall(main, debug.traceback)
if not ok then out.error = tostring(err) end
out.total_ms = ms()
write_out()
if client_id then
  vim.lsp.stop_client(client_id)
  vim.wait(2000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 50)
end
vim.cmd('qa!')

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

-- Raw LSP diagnostics exactly as pushed by the server, per document URI (plus a counter so we can wait for a
-- *new* push).
local raw = { by_uri = {}, exited = false }
local function doc_state(uri)
  raw.by_uri[uri] = raw.by_uri[uri] or { diagnostics = {}, pushes = 0 }
  return raw.by_uri[uri]
end
local client_id

local function lsp_diags(uri)
  local list = {}
  for _, d in ipairs(doc_state(uri).diagnostics) do
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

local function has_code(uri, code)
  for _, d in ipairs(doc_state(uri).diagnostics) do if tostring(d.code) == code then return d end end
  return nil
end

local function flatten_hover(contents)
  if contents == nil or contents == vim.NIL then return '' end
  local lines = vim.lsp.util.convert_input_to_markdown_lines(contents)
  return table.concat(lines, '\n')
end

local function main()
  -- Each document is opened in a new buffer while the earlier ones (possibly modified) stay loaded.
  vim.o.hidden = true
  local T = plan.timeout_ms
  local client

  local function start(root_dir)
    client_id = vim.lsp.start_client({
      name = 'servelint',
      cmd = plan.server_cmd,
      cmd_env = plan.server_env ~= vim.NIL and plan.server_env or nil,
      root_dir = root_dir,
      settings = {},
      handlers = {
        ['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
          if result and result.uri then
            local st = doc_state(result.uri)
            st.diagnostics = result.diagnostics or {}
            st.pushes = st.pushes + 1
            event('publishDiagnostics', { uri = result.uri, count = #st.diagnostics })
          end
          return vim.lsp.diagnostic.on_publish_diagnostics(err, result, ctx, config)
        end,
      },
      on_exit = function(code, signal) raw.exited = true; table.insert(out.events, { t = ms(), name = 'server-exit', data = { code = code, signal = signal } }) end,
    })
    if not client_id then error('vim.lsp.start_client returned nil (cmd: ' .. table.concat(plan.server_cmd, ' ') .. ')') end
    client = vim.lsp.get_client_by_id(client_id)
  end

  -- Runs one document's scenarios (plan.docs[i]) in order; records into res.scenarios[<id>].
  local function run_doc(doc, res)
    vim.cmd('edit ' .. vim.fn.fnameescape(doc.file))
    local bufnr = vim.api.nvim_get_current_buf()
    vim.bo[bufnr].filetype = 'yaml'
    local uri = vim.uri_from_bufnr(bufnr)
    if not client_id then start(plan.root_dir) end
    vim.lsp.buf_attach_client(bufnr, client_id)
    local st = doc_state(uri)
    res.uri = uri

    local function request(method, params)
      local r, err = client.request_sync(method, params, T, bufnr)
      if not r then error(method .. ' failed: ' .. tostring(err)) end
      if r.err then error(method .. ' error: ' .. vim.inspect(r.err)) end
      return r.result
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

    local function current_lens(marker)
      local found
      for _, t in ipairs((lens_titles())) do if t:find(marker, 1, true) then found = t end end
      return found
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

  -- code actions for the diagnostic, apply the preferred matching quick fix
  local function quickfix(sc, r)
      local diag = has_code(uri, sc.code)
      if not diag then r.error = 'no ' .. sc.code .. ' diagnostic to fix'; return end
      local actions = request('textDocument/codeAction', { textDocument = { uri = uri }, range = diag.range,
        context = { diagnostics = { diag } } }) or {}
      r.code_actions = {}
      local chosen
      for _, a in ipairs(actions) do
        table.insert(r.code_actions, { title = a.title, kind = a.kind, isPreferred = a.isPreferred == true,
          hasEdit = a.edit ~= nil and a.edit ~= vim.NIL })
        if a.title and a.title:sub(1, #sc.fix_prefix) == sc.fix_prefix then
          if chosen == nil or (a.isPreferred == true and chosen.isPreferred ~= true) then chosen = a end
        end
      end
      if not chosen then event('no-matching-fix', { id = sc.id }); return end
      if (chosen.edit == nil or chosen.edit == vim.NIL) and client.server_capabilities.codeActionProvider
        and type(client.server_capabilities.codeActionProvider) == 'table' and client.server_capabilities.codeActionProvider.resolveProvider then
        chosen = request('codeAction/resolve', chosen) or chosen
      end
      r.applied_fix = chosen.title
      local pushes_before = st.pushes
      if chosen.edit and chosen.edit ~= vim.NIL then
        vim.lsp.util.apply_workspace_edit(chosen.edit, client.offset_encoding)
      end
      if chosen.command and chosen.command ~= vim.NIL then
        local cmd = type(chosen.command) == 'table' and chosen.command or chosen
        request('workspace/executeCommand', { command = cmd.command, arguments = cmd.arguments })
      end
      r.lines_after_fix = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
      r.diagnostic_gone = vim.wait(T, function() return st.pushes > pushes_before and has_code(uri, sc.code) == nil end, 50)
      r.diagnostics_after_fix = lsp_diags(uri)
    end

    -- 0. the first push for this document (with every code a diagnostic scenario expects)
    local ok = vim.wait(T, function()
      if raw.exited then return true end
      if st.pushes == 0 then return false end
      for _, c in ipairs(doc.expect_codes) do if has_code(uri, c) == nil then return false end end
      return true
    end, 50)
    if raw.exited then out.server_exited_early = true; ok = false end
    res.diagnostics = lsp_diags(uri)
    res.vim_diagnostics = vim_diags(bufnr)
    res.diagnostics_ok = ok
    event('diagnostics', { file = doc.file, ok = ok })
    if not ok then return end

    for _, sc in ipairs(doc.scenarios) do
      local r = {}
      res.scenarios[sc.id] = r
      if sc.kind == 'diagnostic' then
        r.diagnostics = lsp_diags(uri)
        r.vim_diagnostics = vim_diags(bufnr)
      elseif sc.kind == 'codelens' then
        -- the server's own lenses; clicking is a VS Code concern
        local _, commands = lens_titles()
        r.codelens = commands
      elseif sc.kind == 'hover' then
        local hover = request('textDocument/hover', { textDocument = { uri = uri }, position = sc.position })
        r.hover = hover and flatten_hover(hover.contents) or ''
      elseif sc.kind == 'quickfix' then
        quickfix(sc, r)
      elseif sc.kind == 'edit' then
        -- edit a line's value; the cost lens must change
        local before = current_lens(plan.lens_marker)
        r.lens_before = before
        local lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
        for i, l in ipairs(lines) do
          if l:find(sc.edit.lineContains, 1, true) then
            local s, e = l:find(sc.edit.lineContains, 1, true)
            local new = l:sub(1, s - 1) .. sc.edit.lineContains:gsub(vim.pesc(sc.edit.from) .. '$', sc.edit.to) .. l:sub(e + 1)
            vim.api.nvim_buf_set_lines(bufnr, i - 1, i, false, { new })
            r.edited_line = new
            break
          end
        end
        r.changed, r.lens_after = wait_lens_change(before, plan.lens_marker)
      elseif sc.kind == 'setting' then
        -- the server pulls it (workspace/configuration) or reads the push
        local before = current_lens(plan.lens_marker)
        r.lens_before = before
        client.config.settings = sc.settings
        client.notify('workspace/didChangeConfiguration', { settings = sc.settings })
        r.changed, r.lens_after = wait_lens_change(before, plan.lens_marker)
      end
      event(sc.kind, { id = sc.id })
    end
  end

  out.docs = {}
  for _, doc in ipairs(plan.docs) do
    local res = { file = doc.file, scenarios = {} }
    table.insert(out.docs, res)
    run_doc(doc, res)
    if out.server_exited_early then return end
  end
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

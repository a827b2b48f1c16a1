/** Messages of the file platform (uploads, spreadsheet import/export, templates, error reports). */
export const filesMessages = {
  // refused uploads
  'files.badFileName': '文件名无效：请使用普通的文件名（不含路径、控制字符，也不能是 CON、NUL 等系统保留名）',
  'files.imageDimensions': '图片尺寸过大（{size}），超过 {limit} 百万像素，请缩小后再上传',
  'files.empty': '上传的文件是空的',
  'files.tooLarge': '文件过大，上限为 {limitMb} MB',
  'files.unsupportedType': '无法识别的文件类型，请上传 Excel（.xlsx）或 CSV 文件',
  'files.notSpreadsheet': '上传的文件实际是 {format} 格式（可能只是改了扩展名），请上传 Excel（.xlsx）或 CSV 文件',
  'files.legacyXls':
    '这是旧版 Excel（.xls）、WPS 表格（.et）或加密的文件，请在 Excel 或 WPS 中“另存为” .xlsx 格式（如设有打开密码请先取消）后再上传',
  'files.notXlsx': '这不是 Excel（.xlsx）文件（可能是 .xlsb、.ods 或其他压缩包），请另存为 .xlsx 格式后再上传',
  'files.markupSheet':
    '这是网页或 XML 格式的表格（常见于从其他系统导出的 .xls），请用 Excel 打开后“另存为” .xlsx 格式再上传',
  'files.corrupt': '文件已损坏或不完整，无法读取，请重新保存后再上传',
  'files.zipBomb': '文件解压后的内容异常庞大（超过 {limitMb} MB 或压缩比异常），已拒绝处理',
  'files.unknownEncoding': '无法识别 CSV 文件的文字编码，请用 Excel 另存为 .xlsx，或另存为“CSV UTF-8”格式后再上传',
  'files.csvUnclosedQuote': 'CSV 文件第 {line} 行的引号没有闭合，请检查该行内容',
  'files.noWorksheet': '文件中没有可读取的工作表',
  'files.tooManyRows': '表格行数过多，单个文件最多 {max} 行，请拆分后分批上传',
  // header and rows
  'files.noHeader': '未找到表头：前 {scanRows} 行中没有一行包含足够的列名（如 {expected}），请使用导入模板',
  'files.missingColumns': '表头缺少必需的列：{columns}',
  'files.duplicateColumn': '表头中“{column}”重复出现，请删除多余的一列',
  'files.numberLostDigits':
    '第 {row} 行“{column}”是数字格式，Excel 只保留 15 位有效数字，身份证号等长号码的末几位已经丢失；请将该列设为“文本”格式后重新填写',
  // error report and template
  'files.report.sheetName': '错误报告',
  'files.report.reason': '错误原因',
  'files.report.rowNumber': '原表行号',
  'files.report.reasonSeparator': '；',
  'files.template.sheetName': '导入模板',
  'files.template.optionsSheet': '选项',
  'files.template.invalidTitle': '输入有误',
  'files.template.invalidChoice': '请从下拉列表中选择',
} as const;
